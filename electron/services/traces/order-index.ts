import type { Engine, Session } from '../engine/engine';

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
  /** Build the index for `key` in the background (on the index session, after what is queued there). */
  prepare(key: string, buildSelect: () => Promise<{ sql: string }>): void;
  /** Forget every index (after edits that can change membership, e.g. marks). */
  invalidate(): void;
}

const MAX_ENTRIES = 6;
const indexes = new WeakMap<Engine, OrderIndex>();

export const orderIndexFor = (engine: Engine): OrderIndex => {
  const existing = indexes.get(engine);
  if (existing) return existing;
  let session: Session | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let counter = 0;
  const entries = new Map<string, { table: string; total: number }>();
  const stale: string[] = [];
  const pending = new Set<string>();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
  const index: OrderIndex = {
    use: (key, buildSelect, work) =>
      serial(async () => {
        session ??= await engine.session();
        const s = session;
        for (const t of stale.splice(0)) await s.run(`DROP TABLE IF EXISTS ${t}`);
        let entry = entries.get(key);
        if (!entry) {
          const { sql } = await buildSelect();
          const table = `valley_order_${++counter}`;
          await s.run(`CREATE TEMP TABLE ${table} AS ${sql}`);
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
        return work(s, entry.table, entry.total);
      }),
    has: (key) => entries.has(key) || pending.has(key),
    prepare(key, buildSelect) {
      if (entries.has(key) || pending.has(key)) return;
      pending.add(key);
      const done = () => void pending.delete(key);
      index.use(key, buildSelect, async () => undefined).then(done, done);
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
    if (indexes.get(engine) === index) indexes.delete(engine);
  });
  return index;
};
