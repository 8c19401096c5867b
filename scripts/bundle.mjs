// Bundles the binary (dist/cli.js) with esbuild, after `tsc` has type-checked and emitted
// the module tree (dist/<module>.js, which the benchmark and in-process tests import).
// One file for `check`, `resolve` and the other headless commands; the live view (Ink,
// React, yoga) and the demo are chunks under dist/chunks/ loaded by their dynamic
// import, so `check` never loads them. Measured in BENCHMARKS.md.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT, writeStamp } from './build-stamp.mjs';

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8'));
const dist = path.join(PROJECT, 'dist');
fs.rmSync(path.join(dist, 'chunks'), { recursive: true, force: true });

// src/ui/ink-output-cache.ts patches Ink's Output class; in the bundle that class is the
// bundled copy, handed over under a registered symbol (the unbundled build imports it).
const inkOutput = {
  name: 'ink-output-handle',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!/^export default class Output\b/m.test(text)) return { contents: text, loader: 'js' };
      const contents =
        text.replace(/^export default class Output\b/m, 'class Output') +
        "\nglobalThis[Symbol.for('sync-tui.ink-output')] = Output;\nexport default Output;\n";
      return { contents, loader: 'js' };
    });
  },
};

const result = await esbuild.build({
  absWorkingDir: PROJECT,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: dist,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // jsonc-parser's UMD build requires its parts by relative path; its ESM build bundles.
  mainFields: ['module', 'main'],
  target: 'node20.19',
  sourcemap: true,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Only for Ink's DEV=true devtools hook, which is not a dependency.
  external: ['react-devtools-core'],
  // React's and Ink's development builds are never run (the live view sets NODE_ENV=production
  // before loading them, src/cli/commands/tui.ts): leave them out of the bundle.
  define: { SYNC_TUI_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // The CommonJS packages (React, commander, ...) call require() for Node's modules.
  banner: {
    js: "import { createRequire as __syncTuiCreateRequire } from 'node:module';\nconst require = __syncTuiCreateRequire(import.meta.url);",
  },
  plugins: [inkOutput],
});

// `SYNC_TUI_METAFILE=file node scripts/bundle.mjs`: esbuild's metafile, to see what each output holds.
if (process.env.SYNC_TUI_METAFILE)
  fs.writeFileSync(process.env.SYNC_TUI_METAFILE, JSON.stringify(result.metafile));

// `check` must not load the live view: no static import from the entry reaches Ink or React.
const outputs = result.metafile.outputs;
const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint === 'src/cli.ts');
const seen = new Set();
const walk = (o) => {
  if (seen.has(o)) return;
  seen.add(o);
  for (const imp of outputs[o]?.imports ?? [])
    if (imp.kind === 'import-statement' && !imp.external) walk(imp.path);
};
walk(entry);
const eager = [...seen].flatMap((o) => Object.keys(outputs[o].inputs));
const ui = eager.filter((i) => /node_modules[\\/](ink|react|react-reconciler|yoga-layout)[\\/]/.test(i));
if (ui.length > 0) {
  console.error(`bundle: the entry loads the live view's modules statically: ${ui.slice(0, 3).join(', ')}`);
  process.exit(1);
}
fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
writeStamp();
