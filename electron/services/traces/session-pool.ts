import type { Engine, Row, Session, SqlParams } from '../engine/engine';

/**
 * A few long-lived connections for the interactive queries (facets): reusing a connection is much
 * cheaper than opening one per query. Each connection runs one statement at a time, in order.
 */
export interface SessionPool {
  all(slot: number, sql: string, params?: SqlParams): Promise<Row[]>;
}

const pools = new WeakMap<Engine, SessionPool>();

export const sessionPoolFor = (engine: Engine, size = 6): SessionPool => {
  const existing = pools.get(engine);
  if (existing) return existing;
  const slots: { session: Promise<Session> | null; chain: Promise<unknown> }[] = Array.from({ length: size }, () => ({
    session: null,
    chain: Promise.resolve(),
  }));
  const pool: SessionPool = {
    all(slot, sql, params) {
      const entry = slots[slot % size] as (typeof slots)[number];
      const work = async () => {
        entry.session ??= engine.session();
        return (await entry.session).all(sql, params);
      };
      const next = entry.chain.then(work, work);
      entry.chain = next.catch(() => undefined);
      return next;
    },
  };
  pools.set(engine, pool);
  // the pooled connections died with a crashed engine process: the next call opens new ones
  const off = engine.onRestart(() => {
    off();
    if (pools.get(engine) === pool) pools.delete(engine);
  });
  return pool;
};
