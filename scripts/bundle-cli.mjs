// Bundles the CLI (dist/cli/start.js and main.js, compiled by tsc) and everything
// it imports into dist/cli-bundle/: entente.cjs, which answers `entente
// --version` and the root help alone, main.js (main() with clipanion and the
// command classes), and chunks loaded on demand: what the commands import when
// they run (the store, the OpenAPI code …). A few files to read and link instead of some hundred
// modules across node_modules makes the CLI start several times faster
// (bench/startup.mjs). The library (dist/index.js) is not bundled.
//
// Every file lands in dist/cli-bundle/ itself (no subfolders): code that finds
// files relative to import.meta.url (package.json) sees the same depth as in
// dist/cli/.
//
//   node scripts/bundle-cli.mjs      (run by `npm run build`, after tsc)
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { precompiledValidatorsSource } from './precompile-validators.mjs';

/**
 * Packages imported with `import('pkg')` stay outside the bundle, for Node to
 * load: with code splitting, esbuild turns a dynamically imported CommonJS
 * module into a chunk whose only export is `default`, so `const { stringify } =
 * await import('yaml')` would find nothing (evanw/esbuild#3245).
 */
const dynamicPackagesExternal = {
  name: 'dynamic-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The record and configuration schemas compiled ahead of time (Ajv's standalone
 * code, same options as src/model/validate.ts), keyed by their JSON text, in
 * the place of dist/model/precompiled.js: a command reading the contracts
 * repository would otherwise spend most of its own time compiling them.
 */
const dist = (path) => pathToFileURL(`${root}dist/${path}`).href;

async function precompiledValidatorsModule() {
  const { RECORD_AJV_OPTIONS } = await import(dist('model/validate.js'));
  const { recordSchemas } = await import(dist('model/records.js'));
  const { configSchemas } = await import(dist('config/schema.js'));
  const { PendingInteraction } = await import(dist('record/pending-schema.js'));
  const { LocalFixture } = await import(dist('fixtures/local-fixture.js'));
  return precompiledValidatorsSource(
    [...Object.values(recordSchemas), ...Object.values(configSchemas), PendingInteraction, LocalFixture],
    RECORD_AJV_OPTIONS,
  );
}

/** `entente --help`, plain and colored, in the place of dist/cli/root-help.js. */
async function rootHelpModule() {
  const { rootHelpText } = await import(dist('cli/main.js'));
  const rootHelp = { plain: rootHelpText(false), colored: rootHelpText(true) };
  return `export const rootHelp = ${JSON.stringify(rootHelp)};\n`;
}

const rootHelp = {
  name: 'root-help',
  setup(build) {
    build.onResolve({ filter: /^\.\/root-help\.js$/ }, (args) =>
      args.importer.endsWith('/dist/cli/start.js')
        ? { path: 'root-help.js', namespace: 'entente-root-help' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'entente-root-help' }, async () => ({
      contents: await rootHelpModule(),
      loader: 'js',
    }));
  },
};

const precompiled = {
  name: 'precompiled-validators',
  setup(build) {
    build.onResolve({ filter: /^\.\/precompiled\.js$/ }, (args) =>
      args.importer.endsWith('/dist/model/validate.js')
        ? { path: 'precompiled-validators.js', namespace: 'entente-precompiled' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'entente-precompiled' }, async () => ({
      contents: await precompiledValidatorsModule(),
      loader: 'js',
      resolveDir: root,
    }));
  },
};
/**
 * The record and configuration schemas are built with TypeBox when their
 * module loads. Their values are plain JSON Schema (entente uses no TypeBox
 * feature at run time: validation is Ajv's), so the bundle carries them as
 * JSON literals computed at build time, in place of dist/model/records.js and
 * dist/config/schema.js (and the pending-interaction and local-fixture
 * schemas): a command reading records loads neither TypeBox nor
 * the code that builds the schemas. An export that is another export's value
 * (or a value inside one, as `recordSchemas` holds the record schemas) stays
 * the same object.
 */
const SCHEMA_MODULES = [
  'model/records.js',
  'config/schema.js',
  'record/pending-schema.js',
  'fixtures/local-fixture.js',
];

async function jsonSchemaModule(path) {
  const entries = Object.entries(await import(dist(path)));
  /** Each exported object, by the first export that is it. */
  const exported = new Map();
  for (const [name, value] of entries)
    if (value && typeof value === 'object' && !exported.has(value)) exported.set(value, name);
  // Plain values first, then those that refer to them (an alias, or a map of exports: one level).
  const plain = [];
  const referring = [];
  for (const [name, value] of entries) {
    const first = exported.get(value);
    if (first !== undefined && first !== name) referring.push(`export const ${name} = ${first};`);
    else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.values(value).some((v) => exported.has(v))
    ) {
      const fields = Object.entries(value).map(
        ([key, v]) => `${JSON.stringify(key)}: ${exported.get(v) ?? JSON.stringify(v)}`,
      );
      referring.push(`export const ${name} = {${fields.join(', ')}};`);
    } else plain.push(`export const ${name} = ${JSON.stringify(value)};`);
  }
  return [...plain, ...referring].join('\n');
}

const jsonSchemas = {
  name: 'json-schemas',
  setup(build) {
    const escaped = SCHEMA_MODULES.map((module) => module.replace(/[./]/g, (c) => `\\${c}`));
    build.onLoad({ filter: new RegExp(`/dist/(?:${escaped.join('|')})$`) }, async (args) => {
      const path = SCHEMA_MODULES.find((module) => args.path.endsWith(`/dist/${module}`));
      return path ? { contents: await jsonSchemaModule(path), loader: 'js' } : undefined;
    });
  },
};

const outdir = `${root}dist/cli-bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/cli/main.js' },
  outdir,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  // CommonJS dependencies (clipanion, ajv …) call require() for Node's own
  // modules; an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __ententeCreateRequire } from 'node:module'; const require = __ententeCreateRequire(import.meta.url);",
  },
  plugins: [dynamicPackagesExternal, precompiled, rootHelp, jsonSchemas],
  logLevel: 'warning',
});

/**
 * The entry (bin/entente requires it): dist/cli/start.js as one CommonJS file.
 * Node starts a CommonJS entry faster than an ES module one (no module loader
 * to set up), so `entente --version` and the root help, which start answers
 * alone, cost about Node's own start; any other command loads the ES module
 * bundle's main.js from there.
 */
const mainExternal = {
  name: 'main-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/main\.js$/ }, (args) =>
      args.importer.endsWith('/dist/cli/start.js') ? { path: './main.js', external: true } : undefined,
    );
  },
};
await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/start.js'],
  outfile: `${outdir}/entente.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  // package-version.ts finds package.json from its own URL.
  define: { 'import.meta.url': '__ententeModuleUrl' },
  banner: { js: "const __ententeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [mainExternal, rootHelp],
  logLevel: 'warning',
});

// The official OpenAPI schema validators (scripts/write-openapi-validators.mjs) are
// loaded beside the module that validates (src/openapi/openapi-validate.ts), which in
// the bundle is a chunk in dist/cli-bundle/.
for (const file of readdirSync(`${root}dist/openapi`)) {
  if (/^official-schema-.*\.cjs$/.test(file))
    copyFileSync(`${root}dist/openapi/${file}`, `${outdir}/${file}`);
}
