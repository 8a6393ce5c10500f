// Bundles the CLI and browser-mode server (electron/cli) into dist/cli.cjs. Dependencies stay external.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/esbuild')) process.exit(0); // production install without dev deps
await build({
  entryPoints: ['electron/cli/main.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
