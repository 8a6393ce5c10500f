// The machine's free memory touched once before a benchmark (bench:scale, bench:data). On this VM the first touch of
// a page of guest memory is dear: touching 15 GB took 63 s on a machine up 45 minutes, 3.4 s per 4 GB after that
// (docs/PERFORMANCE.md, "Fresh memory"). Every file written fills fresh page-cache pages and every process heap takes
// fresh pages, so until the memory has been used once, whichever side writes more bytes or grows a larger heap pays
// that cost on top of its work, and the first runs pay it more than the later ones. A machine that has been up a while
// (a researcher's workstation) has no such cost; this gives the benchmark that state. VALLEY_BENCH_WARM=0 skips it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const CHUNK = 256 * 2 ** 20;
/** Left untouched, so that nothing cached is evicted (the benchmark's files stay in the page cache). */
const SPARE = 2 * 2 ** 30;

/** Touch the free memory once (in a child process that then exits) and say how long it took. */
export const warmMemory = (): string => {
  if (process.env['VALLEY_BENCH_WARM'] === '0' || !existsSync('/proc/meminfo')) return 'machine memory: not warmed';
  const freeKb = Number(/^MemFree:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  const chunks = Math.floor(Math.max(0, freeKb * 1024 - SPARE) / CHUNK);
  const t0 = performance.now();
  // each chunk kept until the child exits, so the pages are not handed back and taken again
  const code = `const kept = []; for (let i = 0; i < ${chunks}; i++) { const b = Buffer.allocUnsafeSlow(${CHUNK}); for (let o = 0; o < b.length; o += 4096) b[o] = 1; kept.push(b); }`;
  const r = spawnSync(process.execPath, ['-e', code], { stdio: 'inherit' });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  const gb = ((chunks * CHUNK) / 2 ** 30).toFixed(1);
  return r.status === 0
    ? `machine memory: ${gb} GB of free memory touched once before the runs, in ${s} s (VALLEY_BENCH_WARM=0 skips it)`
    : `machine memory: warming failed (${r.signal ?? r.status}); runs start on untouched memory`;
};
