// Memory of the Valley side of a benchmark: this process and any engine processes it started (not the plain DuckDB
// process, not Chromium), sampled every 250 ms until stopped.
import { readdirSync, readFileSync } from 'node:fs';

const rssTreeMB = (root: number, skip: ReadonlySet<number>): number => {
  const parent = new Map<number, number>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 50; p = parent.get(p) ?? 0, hops++) {
      if (skip.has(p)) return false;
      if (p === root) return true;
    }
    return false;
  };
  let kb = 0;
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
};

/**
 * Start sampling the RSS of this process's tree (minus `skip`); `pause()` while it runs something that is not Valley
 * (Chromium), `stop()` takes a last sample and returns the peak.
 */
export const sampleRss = (skip: ReadonlySet<number>): { pause(): void; resume(): void; stop(): number } => {
  let peak = 0;
  let paused = false;
  const sample = () => {
    if (!paused) peak = Math.max(peak, rssTreeMB(process.pid, skip));
  };
  const timer = setInterval(sample, 250);
  return {
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
};
