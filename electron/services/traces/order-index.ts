import type { Engine, Session } from '../engine/engine';
import { foregroundOf } from '../engine/foreground';

/**
 * Positions of a filtered, sorted order, kept as small TEMP tables (row_id, pos) on one long-lived
 * session: the virtual table can then jump to any position (row 700,000 as fast as row 0) by a range
 * scan on `pos`, which DuckDB prunes by zone maps — no OFFSET over the big relation.
 */
export interface OrderIndex {
  /** Run `work` with the index table for `key` (built by `build` SQL if missing) on the index session. */
  use<T>(
    key: string,
    buildSelect: () => Promise<{ sql: string }>,
    work: (s: Session, table: string, total: number) => Promise<T>,
  ): Promise<T>;
  /** Whether the index for `key` is built (or being built): a window can then be served from it. */
  has(key: string): boolean;
  /**
   * Build the index for `key` in the background, as the word index is built: once no click has run for
   * PREPARE_QUIET_MS, stopped by the next click and run again after it (engine/foreground.ts), and given up when
   * another key is prepared before it is built. A window that needs it sooner builds it on demand (`use`).
   */
  prepare(key: string, buildSelect: () => Promise<{ sql: string }>): void;
  /** Forget every index (after edits that can change membership, e.g. marks). */
  invalidate(): void;
}

const MAX_ENTRIES = 6;

/**
 * The pause in the user's clicks after which a prepared order is built. Its build sorts every matching row (at 1M
 * rows, hundreds of ms of both cores); started at once, it ran beside the histograms Chromium was redrawing for the
 * same brush, and someone brushing started one per brush, each made useless by the next.
 */
export const PREPARE_QUIET_MS = 500;
const indexes = new WeakMap<Engine, OrderIndex>();

export const orderIndexFor = (engine: Engine): OrderIndex => {
  const existing = indexes.get(engine);
  if (existing) return existing;
  let session: Session | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let counter = 0;
  const entries = new Map<string, { table: string; total: number }>();
  const stale: string[] = [];
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
  const gate = foregroundOf(engine);
  /** The key a background build is for, whether a click stopped it, and whether its statement is running. */
  let background: { key: string; stopped: boolean; running: boolean } | null = null;
  const offBusy = gate.onBusy(() => {
    if (!background) return;
    background.stopped = true;
    if (background.running) session?.interrupt();
  });
  /**
   * The session, stale tables dropped, and the entry for `key`, built if missing; null when `run` (a background
   * build, interruptible) was stopped by a click.
   */
  const entryFor = async (
    key: string,
    buildSelect: () => Promise<{ sql: string }>,
    run: { stopped: boolean; running: boolean } | null,
  ) => {
    session ??= await engine.session();
    const s = session;
    for (const t of stale.splice(0)) await s.run(`DROP TABLE IF EXISTS ${t}`);
    let entry = entries.get(key);
    if (!entry) {
      const { sql } = await buildSelect();
      const table = `valley_order_${++counter}`;
      if (run) {
        // the click that stops it may have come while the SELECT above was planned
        if (run.stopped || gate.busy()) return null;
        run.running = true;
        try {
          await s.run(`CREATE TEMP TABLE ${table} AS ${sql}`);
        } catch (error) {
          if (run.stopped) return null; // rolled back: built again after the click
          throw error;
        } finally {
          run.running = false;
        }
      } else await s.run(`CREATE TEMP TABLE ${table} AS ${sql}`);
      const n = await s.all(`SELECT count(*) AS n FROM ${table}`);
      entry = { table, total: Number(n[0]?.['n'] ?? 0) };
      entries.set(key, entry);
      while (entries.size > MAX_ENTRIES) {
        const oldest = entries.keys().next().value as string;
        stale.push(entries.get(oldest)?.table ?? '');
        entries.delete(oldest);
      }
    } else {
      entries.delete(key);
      entries.set(key, entry); // most recently used last
    }
    return { s, entry };
  };
  /** The newest key prepared: an older one not built yet is given up. */
  let wanted: string | null = null;
  const buildInBackground = async (key: string, buildSelect: () => Promise<{ sql: string }>): Promise<void> => {
    for (;;) {
      await gate.quiet(PREPARE_QUIET_MS);
      if (wanted !== key || entries.has(key)) return;
      if (gate.busy()) continue;
      const built = await serial(async () => {
        if (wanted !== key || entries.has(key)) return true;
        const run = { key, stopped: false, running: false };
        background = run;
        try {
          return (await entryFor(key, buildSelect, run)) !== null;
        } finally {
          background = null;
        }
      });
      if (built) return;
    }
  };
  const index: OrderIndex = {
    use: (key, buildSelect, work) =>
      serial(async () => {
        const got = await entryFor(key, buildSelect, null);
        if (!got) throw new Error('unreachable: a window build is never interrupted');
        return work(got.s, got.entry.table, got.entry.total);
      }),
    // a prepared order waiting for a pause is not there yet: windows near the top are still read directly
    has: (key) => entries.has(key) || background?.key === key,
    prepare(key, buildSelect) {
      if (entries.has(key) || wanted === key) return;
      wanted = key;
      const done = () => {
        if (wanted === key) wanted = null;
      };
      buildInBackground(key, buildSelect).then(done, done);
    },
    invalidate() {
      for (const e of entries.values()) stale.push(e.table);
      entries.clear();
    },
  };
  indexes.set(engine, index);
  // its TEMP tables lived on a session of the engine process that crashed: start over on the new one
  const off = engine.onRestart(() => {
    off();
    offBusy();
    wanted = null;
    if (indexes.get(engine) === index) indexes.delete(engine);
  });
  return index;
};
