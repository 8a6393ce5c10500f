// Electron is an optional dependency: npm skips it on Node < 22.12 (its declared engine) and removes it when its
// binary cannot be downloaded. The Electron shell (electron/main, electron/preload) is still type-checked against its
// declarations, so when the package is missing this puts the package itself (without the binary) in node_modules,
// from the same registry npm install just used. `npm start` then sees no binary and opens browser mode.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const target = join('node_modules', 'electron');
if (existsSync(join(target, 'electron.d.ts'))) process.exit(0);

const version = JSON.parse(readFileSync('package.json', 'utf8')).optionalDependencies?.electron;
if (!version) process.exit(0);
const tmp = mkdtempSync(join(tmpdir(), 'valley-electron-'));
const npm = process.env['npm_execpath']?.endsWith('.js') ? [process.execPath, process.env['npm_execpath']] : ['npm'];
const pack = spawnSync(
  npm[0],
  [...npm.slice(1), 'pack', `electron@${version}`, '--pack-destination', tmp, '--silent'],
  {
    encoding: 'utf8',
    shell: process.platform === 'win32' && npm.length === 1,
  },
);
const tgz = pack.status === 0 ? join(tmp, pack.stdout.trim().split('\n').pop() ?? '') : null;
let ok = false;
if (tgz && existsSync(tgz)) {
  mkdirSync(target, { recursive: true });
  ok = spawnSync('tar', ['-xzf', tgz, '-C', target, '--strip-components=1']).status === 0;
}
rmSync(tmp, { recursive: true, force: true });
console.log(
  ok
    ? `valley: Electron ${version} was skipped by npm (Node ${process.versions.node}, or its download failed); its type definitions are in place, the desktop app is not (npm start uses browser mode)`
    : `valley: could not fetch Electron ${version}'s type definitions; \`npm run typecheck\` will fail on electron/ (browser mode and the CLI are unaffected)`,
);
