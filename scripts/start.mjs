// `npm start`: the desktop app when Electron's binary is usable, else Valley in browser mode on the same workspace,
// with one line saying why. Arguments after `npm start --` go to either (e.g. `--workspace DIR`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { npmRun, rendererIsStale } from './npm-run.mjs';

const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

/** Why the desktop app cannot start here, or null when it can. */
export const whyNoElectron = () => {
  if (process.env['VALLEY_BROWSER'] === '1') return 'VALLEY_BROWSER=1 is set';
  const [major, minor] = process.versions.node.split('.').map(Number);
  const oldNode = major < 22 || (major === 22 && minor < 12);
  let pkg;
  try {
    pkg = require.resolve('electron/package.json');
  } catch {
    return 'Electron is not installed (its download failed or was skipped, and it is an optional dependency)';
  }
  const pathFile = join(dirname(pkg), 'path.txt');
  const binary = existsSync(pathFile) ? join(dirname(pkg), 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
  if (!binary || !existsSync(binary)) {
    return oldNode
      ? `Electron 41 needs Node >= 22.12 and this is Node ${process.versions.node}, so npm skipped it`
      : "Electron's binary is not installed (its download failed, or ELECTRON_SKIP_BINARY_DOWNLOAD was set)";
  }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return 'there is no display (DISPLAY / WAYLAND_DISPLAY unset)';
  }
  return null;
};

const openBrowser = (url) => {
  if (process.env['VALLEY_NO_OPEN'] === '1') return;
  const [cmd, cmdArgs] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']
          ? ['xdg-open', [url]]
          : [null, []];
  if (!cmd) return;
  const child = spawn(cmd, cmdArgs, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined); // no opener: the printed address is enough
  child.unref();
};

const why = whyNoElectron();
if (!why) {
  const forge = join(dirname(require.resolve('@electron-forge/cli/package.json')), 'dist', 'electron-forge.js');
  const r = spawnSync(process.execPath, [forge, 'start', ...(args.length ? ['--', ...args] : [])], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

console.log(`valley: starting in browser mode because ${why}.`);
npmRun('build:backend', { quiet: true });
if (rendererIsStale()) {
  console.log('valley: building the renderer (dist/renderer) …');
  npmRun('build:renderer', { quiet: true });
}
const server = spawn(process.execPath, [join('bin', 'valley.cjs'), 'serve', ...args], {
  stdio: ['inherit', 'pipe', 'inherit'],
});
let opened = false;
server.stdout.on('data', (chunk) => {
  const text = String(chunk);
  process.stdout.write(text);
  const url = /https?:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(text)?.[0];
  if (url && !opened) {
    opened = true;
    openBrowser(url);
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
