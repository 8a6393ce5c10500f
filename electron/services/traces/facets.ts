import {
  facetNames,
  type DatasetInfo,
  type Facet,
  type FacetBin,
  type FacetName,
  type FilterColumn,
  type TraceFilter,
} from '../../../shared/api';
import { ident, type Cell, type Engine } from '../engine/engine';
import { sessionPoolFor } from './session-pool';
import {
  filterParts,
  traceDataset,
  unfilteredRelation,
  whereOf,
  type ColumnClause,
  type FilterParts,
} from './filter-sql';
import { facetCubeFor, type CubeDim } from './facet-cube';
import { searchIndexFor, type SearchIndexState } from './search-index';

const NUMERIC_BINS = 30;

interface FacetDef {
  readonly name: FacetName;
  readonly column: FilterColumn;
  readonly kind: 'category' | 'numeric';
}
export const facetDefs: readonly FacetDef[] = [
  { name: 'difficulty', column: 'difficulty', kind: 'category' },
  { name: 'judgement', column: 'correct', kind: 'category' },
  { name: 'pass_rate', column: 'pass_rate', kind: 'numeric' },
  { name: 'source', column: 'source', kind: 'category' },
  { name: 'response_chars', column: 'response_chars', kind: 'numeric' },
  { name: 'tokens', column: 'tokens', kind: 'numeric' },
];

interface Binning {
  readonly lo: number;
  readonly width: number;
  /** Number of bins. */
  readonly n: number;
}
const binCache = new Map<string, Record<string, Binning>>();

/** Fixed bin edges per dataset (from the stored columns' range), so bars stay put while filters change. */
const binningsFor = async (engine: Engine, d: DatasetInfo): Promise<Record<string, Binning>> => {
  const cacheKey = `${engine.path}|${d.relation}|${d.rows}|${d.createdAt}`;
  const cached = binCache.get(cacheKey);
  if (cached) return cached;
  const r = (
    await engine.all(
      `SELECT min(response_chars) AS l1, max(response_chars) AS h1, min(tokens) AS l2, max(tokens) AS h2 FROM ${ident(unfilteredRelation(d))}`,
    )
  )[0];
  const intBins = (lo: Cell | undefined, hi: Cell | undefined): Binning => {
    const l = Number(lo ?? 0);
    const h = Number(hi ?? 0);
    const width = Math.max(1, Math.ceil((h - l + 1) / NUMERIC_BINS));
    return { lo: l, width, n: Math.floor((h - l) / width) + 1 };
  };
  const out = { response_chars: intBins(r?.['l1'], r?.['h1']), tokens: intBins(r?.['l2'], r?.['h2']) };
  binCache.set(cacheKey, out);
  return out;
};

const binExpr = (def: FacetDef, b: Record<string, Binning>): string => {
  if (def.kind === 'category') return ident(def.column);
  // tenths, 1 on its own; a trace without a pass rate is in no bar (least() would put it in "1": it skips NULLs)
  if (def.name === 'pass_rate')
    return '(CASE WHEN pass_rate IS NOT NULL THEN least(floor(pass_rate * 10 + 1e-9), 10) END)::INTEGER';
  const { lo, width } = b[def.name] as Binning;
  return `floor((${ident(def.column)} - ${lo}) / ${width})::INTEGER`;
};

const numericBin = (def: FacetDef, bin: number, b: Record<string, Binning>): Pick<FacetBin, 'x0' | 'x1' | 'label'> => {
  if (def.name === 'pass_rate') {
    const x0 = bin / 10;
    return bin >= 10 ? { x0: 1, x1: 1, label: '1' } : { x0, x1: (bin + 1) / 10 - 1e-9, label: x0.toFixed(1) };
  }
  const { lo, width } = b[def.name] as Binning;
  const x0 = lo + bin * width;
  return { x0, x1: x0 + width - 1, label: String(x0) };
};

const knownOrder = ['EASY', 'MEDIUM', 'MEDIUM_HARD', 'HARD', 'VERY_HARD', 'correct', 'incorrect'];
const rank = (label: string): number => {
  const i = knownOrder.indexOf(label);
  return i < 0 ? knownOrder.length : i;
};

const categoryLabel = (def: FacetDef, v: Cell): string => {
  if (def.name === 'judgement') return v === true ? 'correct' : v === false ? 'incorrect' : 'unknown';
  return v === null ? '(none)' : String(v);
};

/** One facet's crossfilter query: its bins, counted with every filter except the facet's own. */
export const facetQuery = (relation: string, parts: FilterParts, def: FacetDef, b: Record<string, Binning>): string =>
  `SELECT ${binExpr(def, b)} AS f, count(*) AS c FROM ${ident(relation)} WHERE ${whereOf(parts, def.column)} GROUP BY f`;

const universeCache = new Map<string, Map<FacetName, Cell[]>>();
/** Every category of the categorical facets, so a bar filtered to zero stays in place. */
const universeFor = async (engine: Engine, d: DatasetInfo): Promise<Map<FacetName, Cell[]>> => {
  const cacheKey = `${engine.path}|${d.relation}|${d.rows}|${d.createdAt}`;
  const cached = universeCache.get(cacheKey);
  if (cached) return cached;
  const out = new Map<FacetName, Cell[]>();
  for (const def of facetDefs.filter((f) => f.kind === 'category')) {
    const rows = await engine.all(
      `SELECT DISTINCT ${ident(def.column)} AS v FROM ${ident(unfilteredRelation(d))} LIMIT 200`,
    );
    out.set(
      def.name,
      rows.map((r) => r['v'] ?? null),
    );
  }
  universeCache.set(cacheKey, out);
  return out;
};

/**
 * A dataset's facets for `filter` and the state of its word index (what the screen shows beside the search box),
 * the dataset looked up once for both (each lookup is a round trip to the engine: 2-15 ms).
 */
export const traceFacets = async (
  engine: Engine,
  dataset: string,
  filter: TraceFilter,
  names: readonly FacetName[] = facetNames,
): Promise<Facets & { searchIndex: SearchIndexState }> => {
  const d = await traceDataset(engine, dataset);
  const [facets, searchIndex] = await Promise.all([
    facetsOf(engine, d, filter, names),
    searchIndexFor(engine).state(d),
  ]);
  return { ...facets, searchIndex };
};

/** A category bin's value as the filter gets it back: structured values (lists, structs) as their JSON. */
const categoryValue = (v: Cell) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : v);

/** One facet's bins from its query's rows (bin value, count): every numeric bin and every known category, empty ones too. */
const buildFacet = (
  def: FacetDef,
  rows: readonly { v: Cell; count: number }[],
  b: Record<string, Binning>,
  universe: Map<FacetName, Cell[]>,
): Facet => {
  const facet: Facet = { name: def.name, column: def.column, kind: def.kind, bins: [] };
  const seen = new Set<string>();
  for (const { v, count } of rows) {
    if (def.kind === 'category') {
      const value = categoryValue(v);
      seen.add(String(value));
      facet.bins.push({ label: categoryLabel(def, v), value, x0: null, x1: null, count });
    } else if (v !== null) {
      facet.bins.push({ ...numericBin(def, Number(v), b), value: null, count });
    }
  }
  if (def.kind === 'numeric') {
    // every bin, empty ones too, so the axis stays put while filters change
    const n = def.name === 'pass_rate' ? 11 : (b[def.name]?.n ?? 0);
    const have = new Set(facet.bins.map((x) => x.x0));
    for (let i = 0; i < n; i++) {
      const bin = numericBin(def, i, b);
      if (!have.has(bin.x0)) facet.bins.push({ ...bin, value: null, count: 0 });
    }
  }
  for (const v of universe.get(def.name) ?? []) {
    const value = categoryValue(v);
    if (!seen.has(String(value)))
      facet.bins.push({ label: categoryLabel(def, v), value, x0: null, x1: null, count: 0 });
  }
  return facet;
};

/** Bins in axis order (numeric) or known order then by count (categories, at most 60 of them). */
const sortBins = (facets: Facet[]): Facet[] => {
  for (const f of facets) {
    if (f.kind === 'numeric') f.bins.sort((x, y) => (x.x0 ?? 0) - (y.x0 ?? 0));
    else f.bins.sort((x, y) => rank(x.label) - rank(y.label) || y.count - x.count || x.label.localeCompare(y.label));
    if (f.kind === 'category' && f.bins.length > 60) f.bins.length = 60;
  }
  return facets;
};

type Facets = { total: number; of: number; facets: Facet[] };

/** The dataset's count cube's dimensions: every facet, by its bin. */
const cubeDims = (b: Record<string, Binning>): CubeDim[] =>
  facetDefs.map((def) => ({ column: def.column, numeric: def.kind === 'numeric', bin: binExpr(def, b) }));

/**
 * The facets from the dataset's count cube (facet-cube.ts), or null when it cannot answer `filter` exactly: a search,
 * partition or SQL clause, a clause on another column, a range that cuts through a bin, or no cube yet (`wait`: build
 * it first).
 */
export const facetsFromCube = async (
  engine: Engine,
  d: DatasetInfo,
  filter: TraceFilter,
  names: readonly FacetName[] = facetNames,
  wait = false,
): Promise<Facets | null> => {
  if (filter.search.trim() || filter.partition !== null) return null;
  const clauses = filter.clauses.filter((c): c is ColumnClause => c.op !== 'sql');
  if (clauses.length < filter.clauses.length) return null;
  const b = await binningsFor(engine, d);
  const universe = await universeFor(engine, d);
  const cube = facetCubeFor(engine);
  const dims = cubeDims(b);
  if (wait) await cube.prepare(d, unfilteredRelation(d), dims);
  const r = await cube.counts(d, unfilteredRelation(d), dims, clauses);
  if (!r) return null;
  const facets = facetDefs.flatMap((def, j) =>
    names.includes(def.name) ? [buildFacet(def, r.byDim[j] ?? [], b, universe)] : [],
  );
  return { total: r.total, of: d.rows, facets: sortBins(facets) };
};

/**
 * Each facet's bins with every filter but its own, and the total: from the count cube when it can answer, else by
 * counting rows (after which the cube is built in the background, for the next brush).
 */
export const facetsOf = async (
  engine: Engine,
  d: DatasetInfo,
  filter: TraceFilter,
  names: readonly FacetName[] = facetNames,
): Promise<Facets> => {
  // whatever the cube cannot do (a clause DuckDB refuses, too), the row queries do or report
  const fromCube = await facetsFromCube(engine, d, filter, names).catch(() => null);
  if (fromCube) return fromCube;
  const counted = await facetsFromRows(engine, d, filter, names);
  void facetCubeFor(engine).prepare(d, unfilteredRelation(d), cubeDims(await binningsFor(engine, d)));
  return counted;
};

/** Each facet's bins by one query over the rows per facet, side by side on the session pool. */
export const facetsFromRows = async (
  engine: Engine,
  d: DatasetInfo,
  filter: TraceFilter,
  names: readonly FacetName[] = facetNames,
): Promise<Facets> => {
  const defs = facetDefs.filter((f) => names.includes(f.name));
  const parts = await filterParts(engine, d, filter);
  const b = await binningsFor(engine, d);
  const universe = await universeFor(engine, d);
  const pool = sessionPoolFor(engine);
  const ofDef = async (def: FacetDef, slot: number): Promise<Facet> => {
    const rows = await pool.all(slot, facetQuery(parts.relation, parts, def, b));
    return buildFacet(
      def,
      rows.map((r) => ({ v: r['f'] ?? null, count: Number(r['c']) })),
      b,
      universe,
    );
  };
  // one query per facet, side by side on their own connections
  const facets = await Promise.all(defs.map(ofDef));
  // the total with every filter: any categorical facet without a filter of its own already counted it
  const free = facets.find((f) => f.kind === 'category' && !parts.byColumn.some((x) => x.column === f.column));
  let total: number;
  if (free) total = free.bins.reduce((a, x) => a + x.count, 0);
  else {
    const sql = `SELECT count(*) AS n FROM ${ident(parts.relation)} WHERE ${whereOf(parts)}`;
    total = Number((await engine.all(sql))[0]?.['n'] ?? 0);
  }
  return { total, of: d.rows, facets: sortBins(facets) };
};

/**
 * Every facet of several partitions of one dataset (no other filter) in one query: each partition's rows, read
 * where filterParts says (side table or files), stacked with UNION ALL and counted by partition and by each
 * facet's bin (GROUPING SETS; the set of the partition alone is its size). Same bins as facetsOf per partition.
 */
export const partitionFacets = async (
  engine: Engine,
  d: DatasetInfo,
  partitions: readonly string[],
): Promise<{ total: number; facets: Facet[] }[]> => {
  const defs = facetDefs.filter((f) => facetNames.includes(f.name));
  const b = await binningsFor(engine, d);
  const universe = await universeFor(engine, d);
  const bins = defs.map((def, j) => `${binExpr(def, b)} AS f${j}`).join(', ');
  const branches: string[] = [];
  for (const [i, partition] of partitions.entries()) {
    const parts = await filterParts(engine, d, { clauses: [], search: '', partition });
    branches.push(`SELECT ${i} AS p, ${bins} FROM ${ident(parts.relation)} WHERE ${whereOf(parts)}`);
  }
  const sets = ['(p)', ...defs.map((_, j) => `(p, f${j})`)].join(', ');
  const cols = defs.map((_, j) => `f${j}, GROUPING(f${j}) AS g${j}`).join(', ');
  const rows = await engine.all(
    `SELECT p, ${cols}, count(*) AS c FROM (${branches.join(' UNION ALL ')}) GROUP BY GROUPING SETS (${sets})`,
  );
  const out = partitions.map(() => ({ total: 0, byFacet: defs.map((): { v: Cell; count: number }[] => []) }));
  for (const r of rows) {
    const at = out[Number(r['p'])];
    if (!at) continue;
    const j = defs.findIndex((_, k) => Number(r[`g${k}`]) === 0);
    if (j < 0) at.total = Number(r['c']);
    else at.byFacet[j]?.push({ v: r[`f${j}`] ?? null, count: Number(r['c']) });
  }
  return out.map((o) => ({
    total: o.total,
    facets: sortBins(defs.map((def, j) => buildFacet(def, o.byFacet[j] ?? [], b, universe))),
  }));
};
