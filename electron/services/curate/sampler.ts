import { ValleyError, type SubsetSpec } from '../../../shared/api';
import { ident, type Engine, type Session } from '../engine/engine';
import { filterParts, sqlValue, traceDataset, whereOf } from '../traces/filter-sql';
import { fitColumns, type FitSource } from './fitness';
import { QUESTION_KEY, SIDE_QUESTION_KEY } from './text-keys';
import { fitSourceOf, precomputedSide } from './view-side';

export { QUESTION_KEY } from './text-keys';

/**
 * The sampling order of a recipe: `ranked` yields (row_id, stratum, qkey, …) and `order` sorts it. Every size takes
 * the first `size` positions, so the subsets are nested by construction.
 *  - order: md5 of (id, seed), ties by row_id — the same on every machine, independent of storage order;
 *  - dedup: keep the first k per question in that order;
 *  - stratify: the i-th of n_s rows of stratum s gets key (i + 0.5) / n_s and the order follows the keys,
 *    so every prefix holds each stratum in proportion (systematic stratified sampling), still nested.
 * A view over Parquet files is sampled from its side table (the question key and fitness were computed there at
 * import), so choosing rows never reads the files' texts; the view itself only when the filter names them.
 * `rankedFrom(name)` is `ranked` over a relation (a CTE) named `name` that holds the pool; `poolRelation` is what the
 * pool reads (the side table or the dataset's relation), and `fit` where the rows' fitness is read. `withFit` asks
 * for the fitness in the pool (columns _u_dash, _u_ep, _u_er; `fitInPool` says if it is there): only where it costs
 * a few precomputed flags, the side table, never a table's texts.
 */
export const orderParts = async (
  engine: Engine,
  spec: SubsetSpec,
  withFit = false,
): Promise<{
  pool: string;
  ranked: string;
  rankedFrom: (name: string) => string;
  order: string;
  poolRelation: string;
  fitInPool: boolean;
  fit: FitSource;
}> => {
  const d = await traceDataset(engine, spec.dataset);
  const filter = { ...spec.filter, partition: spec.partition ?? spec.filter.partition };
  const parts = await filterParts(engine, d, filter);
  const where = whereOf(parts);
  const side = parts.relation !== d.relation ? await precomputedSide(engine, d) : null;
  const seed = sqlValue(String(spec.seed));
  const stratum = spec.stratify ? `coalesce(CAST(${ident(spec.stratify)} AS VARCHAR), '(none)')` : `''`;
  const dedup =
    spec.maxPerQuestion === null
      ? ''
      : `QUALIFY row_number() OVER (PARTITION BY qkey ORDER BY h, row_id) <= ${spec.maxPerQuestion}`;
  const poolRelation = side ?? d.relation;
  const fit = await fitSourceOf(engine, d);
  const fitInPool = withFit && side !== null && fit.relation === side;
  const pool = `SELECT row_id, ${stratum} AS stratum, ${side ? SIDE_QUESTION_KEY : QUESTION_KEY} AS qkey,
                       md5_number(coalesce(id, 'row:' || row_id::VARCHAR) || '#' || ${seed}) AS h${fitInPool ? fitColumns(fit) : ''}
                  FROM ${ident(poolRelation)} WHERE ${where} ${dedup}`;
  const rankedFrom = (name: string) =>
    spec.stratify
      ? `SELECT *, (row_number() OVER (PARTITION BY stratum ORDER BY h, row_id) - 0.5) / count(*) OVER (PARTITION BY stratum) AS skey
           FROM ${name}`
      : `SELECT * FROM ${name}`;
  return {
    pool,
    ranked: rankedFrom(`(${pool}) pool`),
    rankedFrom,
    order: spec.stratify ? 'skey, h, row_id' : 'h, row_id',
    poolRelation,
    fitInPool,
    fit,
  };
};

export const describeRecipe = (spec: SubsetSpec): string =>
  [
    `dataset ${spec.dataset}`,
    spec.partition ? `partition ${spec.partition}` : null,
    spec.filter.clauses.length || spec.filter.search ? 'a filter' : null,
    spec.maxPerQuestion !== null ? `at most ${spec.maxPerQuestion} per question` : null,
  ]
    .filter(Boolean)
    .join(', ');

/** What the pool holds in all; a size beyond it is refused with both numbers. */
export const refuseTooBig = (spec: SubsetSpec, poolStrata: ReadonlyMap<string, number>): number => {
  const available = [...poolStrata.values()].reduce((a, b) => a + b, 0);
  const tooBig = [...new Set(spec.sizes)].sort((a, b) => a - b).filter((x) => x > available);
  if (tooBig.length) {
    throw new ValleyError(
      'bad_input',
      `Size ${tooBig.join(', ')} is larger than the ${available} traces available (${describeRecipe(spec)}); ` +
        `the largest possible size is ${available}`,
      { field: 'sizes', available, requested: tooBig },
    );
  }
  return available;
};

/** The recipe's order in a TEMP table on `s`, with what the pool holds per stratum; sizes beyond it are refused. */
const orderTable = async (
  engine: Engine,
  s: Session,
  spec: SubsetSpec,
  table: string,
  keep: 'all' | 'sizes',
): Promise<{ available: number; poolStrata: Map<string, number>; fit: FitSource }> => {
  const { pool, ranked, order, fit } = await orderParts(engine, spec);
  // only the positions the sizes take are kept: a top-n of the order, not a sort of the whole pool
  const limit = keep === 'sizes' ? `LIMIT ${Math.max(0, ...spec.sizes.map((x) => Math.floor(x)))}` : '';
  await s.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT row_id, (row_number() OVER (ORDER BY ${order}) - 1)::BIGINT AS pos, stratum, qkey
         FROM (SELECT * FROM (${ranked}) ranked ORDER BY ${order} ${limit}) top ORDER BY pos`,
  );
  const strata = await s.all(`SELECT stratum, count(*) AS n FROM (${pool}) pool GROUP BY stratum ORDER BY stratum`);
  const poolStrata = new Map(strata.map((r) => [String(r['stratum']), Number(r['n'])]));
  const available = refuseTooBig(spec, poolStrata);
  return { available, poolStrata, fit };
};

/** Materialize the whole order into a TEMP table on `s` (row_id, pos, …); refuse sizes beyond what is available. */
export const createOrderTable = async (engine: Engine, s: Session, spec: SubsetSpec, table: string): Promise<number> =>
  (await orderTable(engine, s, spec, table, 'all')).available;

/** The first max(sizes) positions of the order in a TEMP table on `s`, and where the rows' fitness is read. */
export const createSizesTable = async (
  engine: Engine,
  s: Session,
  spec: SubsetSpec,
  table: string,
): Promise<{ available: number; fit: FitSource }> => orderTable(engine, s, spec, table, 'sizes');

const withSession = async <T>(engine: Engine, work: (s: Session) => Promise<T>): Promise<T> => {
  const s = await engine.session();
  try {
    return await work(s);
  } finally {
    s.close();
  }
};

/** Row ids of the first `size` positions, in sampling order. */
export const subsetIds = (engine: Engine, spec: SubsetSpec, size: number): Promise<number[]> =>
  withSession(engine, async (s) => {
    await createSizesTable(engine, s, { ...spec, sizes: [size] }, 'valley_ids');
    const rows = await s.all(`SELECT row_id FROM valley_ids WHERE pos < $n ORDER BY pos`, { n: size });
    return rows.map((r) => Number(r['row_id']));
  });
