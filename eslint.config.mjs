// ESLint flat config: typescript-eslint's type-aware rules on every TypeScript tree (src, test, bench,
// scripts, web), each file checked against the tsconfig that compiles it (the project service finds
// web/tsconfig.json and web/admin/tsconfig.json for the browser pages). Formatting is Prettier's job,
// so eslint-config-prettier comes last and switches off every rule that would fight it.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Generated ASN.1 tables are compared byte for byte with the generator's output; build output is not ours.
  globalIgnores(['src/h323/generated/', 'dist/', 'native/*/build/', 'coverage/', '.cache/']),
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits hides its rejection: a socket error, a Redis failure, a lost call.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (event emitters, timers) drops its rejection too.
      '@typescript-eslint/no-misused-promises': 'error',
      // Type-only imports vanish at compile time, so SWC (type-blind, one file at a time) never loads a module for a type.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      eqeqeq: ['error', 'always'],
      // Off: an async method without await still turns a throw into a rejection, which callers of a promise interface rely on.
      '@typescript-eslint/require-await': 'off',
      // A `let` read by a closure before its one assignment (a timer callback set up before the object it calls) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Off: the tree writes `!` on indexed reads as if noUncheckedIndexedAccess were on (a bound the reader checked); this rule would strip them.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    // Off in tests: jest's asymmetric matchers (expect.any, expect.stringContaining, …) are typed any, and tests read
    // parsed JSON (HTTP bodies, CLI output) and page globals (Playwright callbacks) whose shape their expect calls check.
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The few CommonJS files run by Node directly (jest config, the SWC require hook, dependency-cruiser's config).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
  },
  prettier,
);
