// npm's prepare step (`npm install`, `npm ci`): puts Electron's type definitions in place when npm skipped Electron
// (scripts/electron-types.mjs), builds the CLI (dist/cli.cjs) and, when it is missing or older than
// its sources, the browser-mode renderer (dist/renderer), so `npx valley serve` works right after install.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { npmRun, rendererIsStale } from './npm-run.mjs';

if (!existsSync('node_modules/esbuild') || !existsSync('node_modules/vite')) process.exit(0); // install without dev deps
spawnSync(process.execPath, ['scripts/electron-types.mjs'], { stdio: 'inherit' });
npmRun('build:backend');
if (rendererIsStale()) {
  console.log('valley: building the browser-mode renderer (dist/renderer) …');
  npmRun('build:renderer', { quiet: true });
}
