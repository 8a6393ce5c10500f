import type { Engine } from './engine';

/**
 * Work a user waits for (a page of traces, a trace, the facets, planning or saving a subset, an export) and the
 * background builds that give way to it in the same DuckDB (the word index): a build waits for quiet() before each
 * of its steps, and onBusy tells it when such work starts so it can stop the step it is running and run it again
 * afterwards. A click is then not slowed by an index build beside it; the build finishes later instead.
 */
export interface Foreground {
  run<T>(work: () => Promise<T>): Promise<T>;
  busy(): boolean;
  /** Resolves when no foreground work is running. */
  idle(): Promise<void>;
  /**
   * Resolves once no foreground work has run for `ms`: a background build resumes after a pause in the user's
   * clicks, not between two of them (stepping through traces with Next, brushing).
   */
  quiet(ms: number): Promise<void>;
  /** Called each time foreground work starts while none was running; returns the unsubscribe. */
  onBusy(listener: () => void): () => void;
}

const gates = new WeakMap<Engine, Foreground>();

export const foregroundOf = (engine: Engine): Foreground => {
  const existing = gates.get(engine);
  if (existing) return existing;
  let active = 0;
  let lastEnd = 0;
  let waiters: (() => void)[] = [];
  const listeners = new Set<() => void>();
  const gate: Foreground = {
    async run(work) {
      active += 1;
      if (active === 1) for (const l of listeners) l();
      try {
        return await work();
      } finally {
        active -= 1;
        if (active === 0) {
          lastEnd = performance.now();
          const ready = waiters;
          waiters = [];
          for (const r of ready) r();
        }
      }
    },
    busy: () => active > 0,
    idle: () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    async quiet(ms) {
      for (;;) {
        await gate.idle();
        const left = lastEnd + ms - performance.now();
        if (left <= 0 && active === 0) return;
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      }
    },
    onBusy(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
  gates.set(engine, gate);
  return gate;
};
