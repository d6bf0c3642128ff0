/** Jest runs TypeScript through SWC (fast, type-blind); `npm run typecheck` runs the pinned tsc. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': swc,
    // cookie 2 (used by fastify's inject) ships only ES modules; Node 20 loads it natively, jest's CJS runtime does not.
    '/node_modules/cookie/.+\\.js$': swc,
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  testTimeout: 30000,
  maxWorkers: 2,
};
