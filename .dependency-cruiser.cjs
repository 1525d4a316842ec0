/**
 * The layers of the codebase, enforced (`npm run check` runs `depcruise`). In the functions:
 *
 *   functions/src/functions (wiring) → domain folders → functions/src/shared → functions/src/core → @zhengrowth/model
 *
 * A lower layer never imports a higher one, and no two folders reach each other through imports
 * (a folder-level cycle is a knot: neither can be understood, moved or loaded without the other).
 * Scripts, the migration and the client use other workspaces only through their public entries.
 */
const FN = '^functions/src';
// Domains are folders; the files beside them (index.ts, entry.ts, the deploy's scripts) are entries.
const DOMAIN = `${FN}/(?!functions/|shared/|core/)[^/]+/`;

module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-above',
      comment: 'core is the frame every function runs in; it knows no domain, no shared helper and no wiring.',
      severity: 'error',
      from: { path: `${FN}/core/` },
      to: { path: `${FN}/(?!core/)` },
    },
    {
      name: 'shared-imports-only-core',
      comment: 'shared holds what two domains use; it stands on core and the model, never on a domain or the wiring.',
      severity: 'error',
      from: { path: `${FN}/shared/` },
      to: { path: `${FN}/(?!core/|shared/)` },
    },
    {
      name: 'domain-imports-no-wiring',
      comment: 'A domain handler is wired by functions/src/functions; it never imports a wiring file or the entry module.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: `${FN}/(functions/|(index|entry)\\.ts$)` },
    },
    {
      name: 'model-imports-nothing-of-the-functions',
      comment: 'The model is the bottom layer: the web app imports it, so it may not reach into the functions.',
      severity: 'error',
      from: { path: '^functions/model/src' },
      to: { path: '^(functions/src|packages|migration|tools|scripts)/' },
    },
    {
      name: 'public-entries-only',
      comment: 'Scripts, the migration, the client and the dev stack use another workspace only through its package entry.',
      severity: 'error',
      from: { path: '^(scripts|migration/src|packages/client/src|tools/devstack/src)/' },
      // A relative import across workspaces; an import of the package name resolves here too, but as 'aliased'.
      to: {
        path: '^(functions/src|functions/model/src|migration/src|packages/client/src|tools/devstack/src)/',
        pathNot: '^$1',
        dependencyTypes: ['local'],
        dependencyTypesNot: ['aliased', 'aliased-workspace'],
      },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No folder reaches back to itself through another: a knot of folders is one big folder in disguise.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(functions/src|functions/model/src|migration/src/migrate)(/|$)' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|lib|dist)/|\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['zg-source', 'import', 'types', 'default'], extensions: ['.ts', '.js'] },
    metrics: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
