// Timing and report helpers shared by the benchmarks (bench:scale, bench:data): statistics, formatting, the
// machine's load while a measurement ran, and lines ending in ✓ / ✗.
import { loadavg } from 'node:os';

export const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
export const median = (xs: readonly number[]): number => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;

export const fmtMs = (x: number): string =>
  x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;

/** min / median / max. */
export const spread = (xs: readonly number[]): string => {
  const s = sorted(xs);
  return `${fmtMs(s[0] ?? NaN)} / ${fmtMs(median(xs))} / ${fmtMs(s[s.length - 1] ?? NaN)}`;
};

/** Milliseconds `work` took. */
export const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};

/** The 1-minute load average, sampled while measurements run; `since(mark())` names its range over them. */
export const loadTracker = () => {
  const loads: number[] = [];
  return {
    sample: () => void loads.push(loadavg()[0] ?? NaN),
    mark: () => loads.length,
    since: (i: number) => {
      const xs = loads.slice(i);
      return xs.length ? `load ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}` : '';
    },
    now: () =>
      loadavg()
        .map((x) => x.toFixed(1))
        .join(' '),
  };
};
export type LoadTracker = ReturnType<typeof loadTracker>;

/** Print a result line: ✓ / ✗ for a target met or missed, a blank for information. */
export const line = (ok: boolean | null, text: string): void =>
  console.log(`${ok === null ? ' ' : ok ? '✓' : '✗'} ${text}`);

/** Two sides in turn, `rounds` times after one warm-up each: each side's times (the plain side reports its own). */
export const alternate = async (
  load: LoadTracker,
  rounds: number,
  valley: (i: number) => Promise<unknown>,
  plain: (i: number) => Promise<number>,
): Promise<{ v: number[]; p: number[] }> => {
  const v: number[] = [];
  const p: number[] = [];
  for (let i = -1; i < rounds; i++) {
    load.sample();
    const tv = await timed(() => valley(i));
    const tp = await plain(i);
    if (i >= 0) {
      v.push(tv);
      p.push(tp);
    }
  }
  return { v, p };
};

/** One line comparing the sides: each side's spread, the ratio of medians, the target and the load meanwhile. */
export const compare = (
  load: LoadTracker,
  label: string,
  r: { v: number[]; p: number[] },
  since: number,
  target?: { ok: (v: number, p: number) => boolean; text: string },
): void => {
  const [mv, mp] = [median(r.v), median(r.p)];
  line(
    target ? target.ok(mv, mp) : null,
    `${label.padEnd(34)} Valley ${spread(r.v)}   plain ${spread(r.p)}   ratio ${(mv / mp).toFixed(2)}×  ${target?.text ?? ''} (${load.since(since)})`,
  );
};
