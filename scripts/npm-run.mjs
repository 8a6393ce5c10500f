// Helpers for the install and start scripts: run an npm script, and tell whether the built renderer is stale.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `npm run <script>` with the npm that runs us (npm_execpath), else the one on PATH; exits on failure. */
export const npmRun = (script, { quiet = false } = {}) => {
  const cli = process.env['npm_execpath'];
  const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
  const r =
    cli && cli.endsWith('.js')
      ? spawnSync(process.execPath, [cli, 'run', '--silent', script], { stdio })
      : spawnSync('npm', ['run', '--silent', script], { stdio, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

/** The newest modification time of any file under these folders. */
const newest = (dirs) => {
  let t = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return t;
};

/** True when dist/renderer is missing or older than the sources it is built from. */
export const rendererIsStale = () => {
  const index = join('dist', 'renderer', 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newest(['renderer', 'shared']);
};
