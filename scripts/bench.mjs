// `npm run bench`: every `bench:*` script in package.json, one after another (each prints its own ratios).
// Extra arguments are passed on, e.g. `npm run bench -- --rows 20000` for a quick run.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const scripts = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).scripts).filter((s) =>
  s.startsWith('bench:'),
);
const extra = process.argv.slice(2);
let failed = 0;
for (const name of scripts) {
  console.log(`\n=== npm run ${name} ${extra.join(' ')}`);
  const r = spawnSync('npm', ['run', '--silent', name, ...(extra.length ? ['--', ...extra] : [])], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
if (scripts.length === 0) console.log('no bench:* scripts');
process.exit(failed ? 1 : 0);
