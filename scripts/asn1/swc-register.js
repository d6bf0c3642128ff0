// Lets `node -r ./scripts/asn1/swc-register.js file.ts` run the TypeScript scripts, benchmarks and the
// CLI from source with the same SWC settings jest uses (type-blind; `npm run typecheck` checks types).
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
