// Memory of the Valley side of a benchmark: this process and any engine processes it started (not the plain DuckDB
// process, not Chromium), sampled every 250 ms until stopped.
import { readdirSync, readFileSync } from 'node:fs';

/** The RSS (MB) of `root`'s tree (minus `skip`): the whole, and `root` alone. */
const rssTreeMB = (root: number, skip: ReadonlySet<number>): { all: number; own: number } => {
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
  let own = 0;
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
      if (pid === root) own = Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return { all: kb / 1024, own: own / 1024 };
};

/**
 * Start sampling the RSS of this process's tree (minus `skip`; stop before running something that is not Valley,
 * such as Chromium); `phase(label)` names what runs from now on, `stop()` takes a last sample and returns the peak with
 * each phase's own peak (in the order the phases began).
 */
export const sampleRss = (
  skip: ReadonlySet<number>,
): {
  phase(label: string): void;
  stop(): number;
  /** Each phase's peak of the whole tree, with this process's own RSS at that moment. */
  phases(): [string, { all: number; own: number }][];
} => {
  let peak = 0;
  let current = 'start';
  const byPhase = new Map<string, { all: number; own: number }>();
  const sample = () => {
    const mb = rssTreeMB(process.pid, skip);
    peak = Math.max(peak, mb.all);
    if (mb.all > (byPhase.get(current)?.all ?? -1)) byPhase.set(current, mb);
  };
  const timer = setInterval(sample, 250);
  return {
    phase(label) {
      sample();
      current = label;
    },
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
    phases: () => [...byPhase.entries()],
  };
};
