/**
 * Import rules of the tree (docs/architecture.md), checked by `npm run lint` over src, test, bench and scripts.
 * Type-only imports count: a library folder that imports an application type still depends on the application.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be read, tested or loaded one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'Folders of src/ that import each other (at any depth, so two top-level folders too) are one layer in two places.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'library-imports-no-application',
      severity: 'error',
      comment:
        'sip/, media/ and h323/ are libraries: config, logger and callbacks are passed in, so they import nothing else of src/ ' +
        '(media needs nothing from sip/ today, so it may not import it either).',
      from: { path: '^src/(sip|media|h323)/' },
      to: { path: '^src/', pathNot: '^src/$1/' },
    },
    {
      name: 'sip-through-its-face',
      severity: 'error',
      comment:
        'Outside src/sip/ the SIP layer is used through src/sip/index.ts only; test/sip/ tests its internals, and ' +
        'bench/sip-transaction-memory.ts measures the transaction layer alone (what one lingering transaction holds).',
      from: { pathNot: '^(src|test)/sip/|^bench/sip-transaction-memory\\.ts$' },
      to: { path: '^src/sip/', pathNot: '^src/sip/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|native/[^/]+/build)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Folder-scope rules need the folder metrics.
    metrics: true,
  },
};
