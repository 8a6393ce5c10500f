// Bundles the CLI and browser-mode server (electron/cli) into dist/cli.cjs, and the engine host (the child process
// that runs DuckDB, electron/services/engine/engine-host.ts) beside it as dist/engine-host.cjs, where
// supervised.ts looks for it. Dependencies stay external.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/esbuild')) process.exit(0); // production install without dev deps
await build({
  entryPoints: { cli: 'electron/cli/main.ts', 'engine-host': 'electron/services/engine/engine-host.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
