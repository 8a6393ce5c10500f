import type { Engine } from '../engine/engine';

const MAX = 8;
const caches = new WeakMap<Engine, { attached: Promise<void>; tables: Map<string, Promise<string>>; next: number }>();

/**
 * Full-text search scans the long text columns, so its matches are kept (per dataset and search string)
 * as a row-id table in an in-memory database every connection sees: while the user brushes histograms
 * with a search active, each update joins on those ids instead of scanning the text again. `select` gives the
 * row ids: from the word index when it is ready (search-index.ts), else a scan of the texts.
 */
export const searchMatchesTable = (
  engine: Engine,
  relation: string,
  version: string,
  search: string,
  select: () => Promise<string>,
): Promise<string> => {
  let cache = caches.get(engine);
  if (!cache) {
    const fresh = {
      attached: engine.run("ATTACH IF NOT EXISTS ':memory:' AS valley_cache"),
      tables: new Map<string, Promise<string>>(),
      next: 0,
    };
    cache = fresh;
    caches.set(engine, fresh);
    // the in-memory cache died with a crashed engine process: attach a new one on the next search
    const off = engine.onRestart(() => {
      off();
      if (caches.get(engine) === fresh) caches.delete(engine);
    });
  }
  const c = cache;
  const key = JSON.stringify([relation, version, search.trim().split(/\s+/)]);
  const hit = c.tables.get(key);
  if (hit) {
    c.tables.delete(key);
    c.tables.set(key, hit);
    return hit;
  }
  const table = `valley_cache.search_${++c.next}`;
  const built = (async () => {
    await c.attached;
    await engine.run(`CREATE OR REPLACE TABLE ${table} AS ${await select()}`);
    return table;
  })();
  c.tables.set(key, built);
  built.catch(() => c.tables.delete(key));
  while (c.tables.size > MAX) {
    const [oldKey, old] = c.tables.entries().next().value as [string, Promise<string>];
    c.tables.delete(oldKey);
    void old.then((t) => engine.run(`DROP TABLE IF EXISTS ${t}`)).catch(() => undefined);
  }
  return built;
};
