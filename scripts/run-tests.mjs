// Runs every vitest project and ends with one plain summary line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const out = 'test-results/vitest.json';
rmSync(out, { force: true });
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`], {
  stdio: 'inherit',
  env: process.env,
});
let summary = null;
try {
  summary = JSON.parse(readFileSync(out, 'utf8'));
} catch {
  // no report: vitest failed before running anything
}
if (summary) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`\ntests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(r.status ?? 1);
