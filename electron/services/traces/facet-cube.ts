import type { DatasetInfo, FilterColumn } from '../../../shared/api';
import { ident, type Cell, type Engine, type Session } from '../engine/engine';
import { clauseSql, sqlValue, type ColumnClause } from './filter-sql';

/**
 * A count cube per dataset (after Falcon's data tiles; no code of it copied): the rows grouped once by every facet's
 * bin (a categorical facet's bin is its exact value) into cells, each with its count, held in this process as small
 * integer arrays (~25K cells at 1M OCR2-shaped traces). Beside them, one small TEMP table per facet lists its bins
 * with, for a numeric facet, the least and greatest value of its column in each bin (those values are held here
 * too). A crossfiltered brush is then a pass over the cells here, after at most one query over those bin tables (a
 * few hundred rows), instead of six queries over the rows.
 *
 * Exact, or not answered: each clause is decided on each bin, on the exact value for a categorical facet and, for a
 * numeric facet's range, on the bin's least and greatest value; here where that is plain (decideHere), else by DuckDB
 * with the clause's own SQL text (clauseSql) on the bin tables (decisionSql). A range is an interval, so every row of
 * the bin passes when both ends do, and none passes when the greatest is below the range or the least above it. A bin
 * neither (a range that cuts through it, as a typed range may; a brush never does, its ends are bin edges), a clause
 * on another column, a search, partition or SQL clause, and the caller counts the rows instead. A numeric column's
 * NULLs are bins of their own (no range passes them).
 */

/** One dimension of the cube: a facet's column and the SQL of its bin over a row (a categorical facet: the column). */
export interface CubeDim {
  readonly column: FilterColumn;
  readonly numeric: boolean;
  readonly bin: string;
}

export interface CubeCounts {
  /** Rows that pass every clause. */
  readonly total: number;
  /** Per dimension, in order: its bins and their counts with every clause but its own column's; empty bins left out. */
  readonly byDim: { v: Cell; count: number }[][];
}

export interface FacetCube {
  /** The cube's counts for `clauses`, or null: no cube built for these dimensions, or a clause it cannot decide. */
  counts(
    d: DatasetInfo,
    relation: string,
    dims: readonly CubeDim[],
    clauses: readonly ColumnClause[],
  ): Promise<CubeCounts | null>;
  /** Build the cube of `relation` (in the background; resolves when built or found unusable). */
  prepare(d: DatasetInfo, relation: string, dims: readonly CubeDim[]): Promise<void>;
}

/** Beyond this many cells the cube is dropped: the facets keep counting rows. */
const MAX_CELLS = 250_000;
const MAX_CUBES = 4;

/** SQL flags of one clause on a bin of its dimension: every row of the bin passes it (`a`), none does (`n`). */
export const decisionSql = (
  dims: readonly CubeDim[],
  c: ColumnClause,
): { dim: number; a: string; n: string } | null => {
  const j = dims.findIndex((d) => d.column === c.column);
  const dim = dims[j];
  if (!dim) return null;
  if (!dim.numeric) {
    const pass = `coalesce((${clauseSql(c, 'k')}), false)`;
    return { dim: j, a: pass, n: `NOT ${pass}` };
  }
  if (c.op !== 'range') return null;
  if (c.min === null && c.max === null) return { dim: j, a: 'true', n: 'false' };
  const outside = [
    ...(c.min === null ? [] : [`hi < ${sqlValue(c.min)}`]),
    ...(c.max === null ? [] : [`lo > ${sqlValue(c.max)}`]),
  ];
  return {
    dim: j,
    a: `coalesce((${clauseSql(c, 'lo')}) AND (${clauseSql(c, 'hi')}), false)`,
    // the bin of NULLs (lo, hi NULL) passes no range
    n: `coalesce(${outside.join(' OR ')}, true)`,
  };
};

/** The cells of `relation`: one GROUP BY of every row by the dimensions' bins (a numeric one also by IS NULL). */
export const cellsSql = (relation: string, dims: readonly CubeDim[]): string => {
  const cols = dims.flatMap((d, j) =>
    d.numeric
      ? [
          `${d.bin} AS k${j}`,
          `${ident(d.column)} IS NULL AS z${j}`,
          `min(${ident(d.column)}) AS lo${j}`,
          `max(${ident(d.column)}) AS hi${j}`,
        ]
      : [`${d.bin} AS k${j}`],
  );
  return `SELECT ${cols.join(', ')}, count(*) AS c FROM ${ident(relation)} GROUP BY ALL`;
};

/** A built cube: per dimension its bins' values (by bin id) and each cell's bin id, and each cell's count. */
interface Built {
  /** TEMP table of each dimension's bins (id, k[, z, lo, hi]). */
  readonly tables: readonly string[];
  readonly values: readonly Cell[][];
  /** A numeric dimension's least and greatest value per bin (null: the bin of NULLs); empty for a categorical one. */
  readonly lo: readonly (number | null)[][];
  readonly hi: readonly (number | null)[][];
  readonly cellBins: readonly Int32Array[];
  readonly cellCounts: Float64Array;
}

const ALL = 1;
const NONE = 0;
const MIXED = 2;

/** An integer a JS number holds exactly, or a number at least 1e-6 (relative) from every integer. */
const clearOfIntegers = (x: number | null): boolean =>
  x === null ||
  (Number.isInteger(x) ? Number.isSafeInteger(x) : Math.abs(x - Math.round(x)) > 1e-6 * Math.max(1, Math.abs(x)));
const surrogates = /[\uD800-\uDFFF]/;

/**
 * A clause decided on every bin here, as DuckDB decides it, without a query; null when DuckDB must (decisionSql).
 * Here: `in` on a column of text or booleans with values of that type (plain equality, NULL as the SQL says), and a
 * range on a numeric column whose values are all integers, with bounds that are integers or clear of them (an
 * integer then compares with the bound the same way whether DuckDB reads the literal as a decimal or a double).
 */
const decideHere = (b: Built, dims: readonly CubeDim[], c: ColumnClause): { dim: number; bins: Uint8Array } | null => {
  const j = dims.findIndex((d) => d.column === c.column);
  const values = b.values[j];
  if (!dims[j] || !values) return null;
  const bins = new Uint8Array(values.length);
  if (!dims[j].numeric) {
    if (c.op !== 'in') return null;
    const kind = typeof values.find((v) => v !== null);
    const known = c.values.filter((v) => v !== null);
    const ok = (v: unknown) => typeof v === kind && (typeof v !== 'string' || !surrogates.test(v));
    if ((kind !== 'string' && kind !== 'boolean') || !values.every((v) => v === null || ok(v)) || !known.every(ok))
      return null;
    const hasNull = known.length < c.values.length;
    for (const [id, v] of values.entries()) {
      const match = v === null ? hasNull : known.includes(v as string | boolean);
      bins[id] = match !== c.negate ? ALL : NONE;
    }
    return { dim: j, bins };
  }
  const [lo, hi] = [b.lo[j] ?? [], b.hi[j] ?? []];
  if (c.op !== 'range' || !clearOfIntegers(c.min) || !clearOfIntegers(c.max)) return null;
  if (![...lo, ...hi].every((x) => x === null || Number.isSafeInteger(x))) return null;
  for (let id = 0; id < values.length; id++) {
    const [l, h] = [lo[id] ?? null, hi[id] ?? null];
    if (c.min === null && c.max === null) bins[id] = ALL;
    else if (l === null || h === null)
      bins[id] = NONE; // the bin of NULLs passes no range
    else if ((c.min === null || l >= c.min) && (c.max === null || h <= c.max)) bins[id] = ALL;
    else if ((c.min !== null && h < c.min) || (c.max !== null && l > c.max)) bins[id] = NONE;
    else bins[id] = MIXED;
  }
  return { dim: j, bins };
};

/** The counts of every dimension from the cells, given each clause's decision per bin of its dimension. */
const tally = (b: Built, clauses: readonly { dim: number; bins: Uint8Array }[]): CubeCounts => {
  const sums = b.values.map((v) => new Float64Array(v.length));
  const add = (j: number, x: number, count: number) => {
    const s = sums[j] as Float64Array;
    const bin = b.cellBins[j]?.[x] ?? 0;
    s[bin] = (s[bin] ?? 0) + count;
  };
  let total = 0;
  for (let x = 0; x < b.cellCounts.length; x++) {
    let failed = -1; // the one dimension whose clauses the cell fails, or -2 for two or more
    for (const c of clauses) {
      if (c.bins[b.cellBins[c.dim]?.[x] ?? 0] === ALL || failed === c.dim) continue;
      failed = failed === -1 ? c.dim : -2;
      if (failed === -2) break;
    }
    const count = b.cellCounts[x] ?? 0;
    if (failed === -1) {
      total += count;
      for (let j = 0; j < sums.length; j++) add(j, x, count);
    } else if (failed >= 0) add(failed, x, count);
  }
  // a numeric facet's bin may be two here (its NULLs apart): one bin per value, as the row queries count them
  const byDim = sums.map((s, j) => {
    const merged = new Map<string, { v: Cell; count: number }>();
    for (const [id, count] of s.entries()) {
      if (count === 0) continue;
      const v = b.values[j]?.[id] ?? null;
      const key = JSON.stringify(v);
      const m = merged.get(key);
      if (m) m.count += count;
      else merged.set(key, { v, count });
    }
    return [...merged.values()];
  });
  return { total, byDim };
};

type Entry = Built | 'unusable';

/** Build a cube on `s`: the cells into TEMP tables, each dimension's bins kept there, the cells read into arrays. */
const build = async (s: Session, prefix: string, relation: string, dims: readonly CubeDim[]): Promise<Built | null> => {
  const cells = `${prefix}_cells`;
  await s.run(`CREATE TEMP TABLE ${cells} AS ${cellsSql(relation, dims)}`);
  try {
    const n = Number((await s.all(`SELECT count(*) AS n FROM ${cells}`))[0]?.['n'] ?? 0);
    if (n > MAX_CELLS) return null;
    const tables = dims.map((_, j) => `${prefix}_${j}`);
    const values: Cell[][] = [];
    const lo: (number | null)[][] = [];
    const hi: (number | null)[][] = [];
    for (const [j, d] of dims.entries()) {
      const cols = d.numeric ? `k${j} AS k, z${j} AS z, min(lo${j}) AS lo, max(hi${j}) AS hi` : `k${j} AS k`;
      await s.run(
        `CREATE TEMP TABLE ${tables[j]} AS SELECT (row_number() OVER () - 1)::INTEGER AS id, *
           FROM (SELECT ${cols} FROM ${cells} GROUP BY ALL)`,
      );
      const rows = await s.all(`SELECT id, k${d.numeric ? ', lo, hi' : ''} FROM ${tables[j]}`);
      const [v, l, h] = [new Array<Cell>(rows.length).fill(null), [] as (number | null)[], [] as (number | null)[]];
      for (const r of rows) {
        const id = Number(r['id']);
        v[id] = r['k'] ?? null;
        if (!d.numeric) continue;
        // a value that is not a JS number (a BIGINT beyond 2^53 comes as text) makes the dimension DuckDB's to decide
        const num = (x: Cell | undefined) => (typeof x === 'number' ? x : x === null || x === undefined ? null : NaN);
        [l[id], h[id]] = [num(r['lo']), num(r['hi'])];
      }
      values.push(v);
      lo.push(l);
      hi.push(h);
    }
    // each cell as its bins' ids and its count, in one text (one value to carry, not n rows)
    const joins = dims.map(
      (d, j) =>
        `JOIN ${tables[j]} b${j} ON c.k${j} IS NOT DISTINCT FROM b${j}.k${d.numeric ? ` AND c.z${j} = b${j}.z` : ''}`,
    );
    const ids = [...dims.map((_, j) => `b${j}.id`), 'c.c'].join(', ');
    const text = String(
      (await s.all(`SELECT string_agg(concat_ws(',', ${ids}), ';') AS t FROM ${cells} c ${joins.join(' ')}`))[0]?.[
        't'
      ] ?? '',
    );
    const cellBins = dims.map(() => new Int32Array(n));
    const cellCounts = new Float64Array(n);
    let x = 0;
    for (const cell of text ? text.split(';') : []) {
      const parts = cell.split(',');
      for (let j = 0; j < dims.length; j++) (cellBins[j] as Int32Array)[x] = Number(parts[j]);
      cellCounts[x++] = Number(parts[dims.length]);
    }
    if (x !== n) throw new Error(`facet cube: ${x} of ${n} cells read`);
    return { tables, values, lo, hi, cellBins, cellCounts };
  } finally {
    await s.run(`DROP TABLE IF EXISTS ${cells}`);
  }
};

const cubes = new WeakMap<Engine, FacetCube>();

export const facetCubeFor = (engine: Engine): FacetCube => {
  const existing = cubes.get(engine);
  if (existing) return existing;
  let session: Promise<Session> | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let counter = 0;
  const entries = new Map<string, Entry>();
  const building = new Map<string, Promise<void>>();
  /** One statement at a time on the session that holds the TEMP tables. */
  const serial = <T>(work: (s: Session) => Promise<T>): Promise<T> => {
    const next = chain.then(async () => work(await (session ??= engine.session())));
    chain = next.catch(() => undefined);
    return next;
  };
  const keyOf = (d: DatasetInfo, relation: string, dims: readonly CubeDim[]) =>
    JSON.stringify([d.relation, d.rows, d.createdAt, relation, dims]);
  const cube: FacetCube = {
    async counts(d, relation, dims, clauses) {
      const b = entries.get(keyOf(d, relation, dims));
      if (!b || b === 'unusable') return null;
      const decided: { dim: number; bins: Uint8Array }[] = [];
      const selects: string[] = [];
      for (const [i, c] of clauses.entries()) {
        const here = decideHere(b, dims, c);
        if (here) {
          decided.push(here);
          continue;
        }
        const x = decisionSql(dims, c);
        if (!x) return null;
        decided.push({ dim: x.dim, bins: new Uint8Array(b.values[x.dim]?.length ?? 0).fill(MIXED) });
        selects.push(`SELECT ${i} AS i, id, ${x.a} AS a, ${x.n} AS n FROM ${b.tables[x.dim]}`);
      }
      if (selects.length) {
        const rows = await serial((s) => s.all(selects.join(' UNION ALL ')));
        for (const r of rows) {
          const bins = decided[Number(r['i'])]?.bins;
          if (bins) bins[Number(r['id'])] = r['a'] === true ? ALL : r['n'] === true ? NONE : MIXED;
        }
      }
      if (decided.some((x) => x.bins.includes(MIXED))) return null;
      return tally(b, decided);
    },
    prepare(d, relation, dims) {
      const key = keyOf(d, relation, dims);
      if (entries.has(key)) return Promise.resolve();
      const running = building.get(key);
      if (running) return running;
      const work = serial(async (s) => {
        const built = await build(s, `valley_cube_${++counter}`, relation, dims);
        entries.set(key, built ?? 'unusable');
        const old = [...entries].filter((e): e is [string, Built] => e[1] !== 'unusable');
        for (const [k, e] of old.slice(0, Math.max(0, old.length - MAX_CUBES))) {
          entries.delete(k);
          for (const t of e.tables) await s.run(`DROP TABLE IF EXISTS ${t}`);
        }
      }).catch(() => void entries.set(key, 'unusable')); // e.g. the dataset was deleted meanwhile: count rows
      building.set(key, work);
      void work.finally(() => building.delete(key));
      return work;
    },
  };
  cubes.set(engine, cube);
  // the TEMP tables lived on a session of the engine process that crashed: start over on the new one
  const off = engine.onRestart(() => {
    off();
    if (cubes.get(engine) === cube) cubes.delete(engine);
  });
  return cube;
};
