import { ValleyError, type SubsetPlan, type SubsetSpec } from '../../../shared/api';
import { ident, type Engine, type Session } from '../engine/engine';
import { foregroundOf } from '../engine/foreground';
import { filterParts, sqlValue, traceDataset, whereOf } from '../traces/filter-sql';
import { requireFit, type FitSource } from './fitness';
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
 */
const orderParts = async (
  engine: Engine,
  spec: SubsetSpec,
): Promise<{ pool: string; ranked: string; order: string; fit: FitSource }> => {
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
  const pool = `SELECT row_id, ${stratum} AS stratum, ${side ? SIDE_QUESTION_KEY : QUESTION_KEY} AS qkey,
                       md5_number(coalesce(id, 'row:' || row_id::VARCHAR) || '#' || ${seed}) AS h
                  FROM ${ident(side ?? d.relation)} WHERE ${where} ${dedup}`;
  const ranked = spec.stratify
    ? `SELECT *, (row_number() OVER (PARTITION BY stratum ORDER BY h, row_id) - 0.5) / count(*) OVER (PARTITION BY stratum) AS skey
         FROM (${pool}) pool`
    : pool;
  return { pool, ranked, order: spec.stratify ? 'skey, h, row_id' : 'h, row_id', fit: await fitSourceOf(engine, d) };
};

const describeRecipe = (spec: SubsetSpec): string =>
  [
    `dataset ${spec.dataset}`,
    spec.partition ? `partition ${spec.partition}` : null,
    spec.filter.clauses.length || spec.filter.search ? 'a filter' : null,
    spec.maxPerQuestion !== null ? `at most ${spec.maxPerQuestion} per question` : null,
  ]
    .filter(Boolean)
    .join(', ');

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

/** Materialize the order and describe each size: strata and distinct questions. */
export const materializeOrder = async (
  engine: Engine,
  s: Session,
  spec: SubsetSpec,
  table: string,
): Promise<{ plan: SubsetPlan; fit: FitSource }> => {
  const { available, poolStrata, fit } = await orderTable(engine, s, spec, table, 'sizes');
  const sizes = [...new Set(spec.sizes)].sort((a, b) => a - b);
  // the sizes are nested: a stratum's count is its rows before the size, a question counts from its first position
  const strataRows = await s.all(
    `WITH sz AS (SELECT unnest(from_json($sizes, '["BIGINT"]')) AS size)
     SELECT sz.size, o.stratum, count(*) AS n FROM ${table} o, sz WHERE o.pos < sz.size GROUP BY sz.size, o.stratum
     UNION ALL
     SELECT sz.size, NULL, count(*) FROM (SELECT min(pos) AS first FROM ${table} GROUP BY qkey) q, sz
      WHERE q.first < sz.size GROUP BY sz.size`,
    { sizes: JSON.stringify(sizes) },
  );
  const plan: SubsetPlan = {
    available,
    sizes: sizes.map((size) => ({ size, strata: {}, questions: 0 })),
    poolStrata: spec.stratify ? Object.fromEntries(poolStrata) : {},
  };
  for (const r of strataRows) {
    const entry = plan.sizes.find((x) => x.size === Number(r['size']));
    if (!entry) continue;
    if (r['stratum'] === null) entry.questions = Number(r['n']);
    else if (spec.stratify) entry.strata[String(r['stratum'])] = Number(r['n']);
  }
  for (const e of plan.sizes)
    e.strata = Object.fromEntries(Object.entries(e.strata).sort(([a], [b]) => a.localeCompare(b)));
  return { plan, fit };
};

const withSession = async <T>(engine: Engine, work: (s: Session) => Promise<T>): Promise<T> => {
  const s = await engine.session();
  try {
    return await work(s);
  } finally {
    s.close();
  }
};

/** Plan a recipe; with `fitFor` (a description for the message), refuse one whose sizes hold rows unfit for training. */
export const planSubset = (engine: Engine, spec: SubsetSpec, fitFor?: string): Promise<SubsetPlan> =>
  foregroundOf(engine).run(() =>
    withSession(engine, async (s) => {
      const { plan, fit } = await materializeOrder(engine, s, spec, 'valley_plan');
      if (fitFor !== undefined && spec.sizes.length) {
        await requireFit(s, fit, 'valley_plan', Math.max(...spec.sizes), fitFor);
      }
      return plan;
    }),
  );

/** Row ids of the first `size` positions, in sampling order. */
export const subsetIds = (engine: Engine, spec: SubsetSpec, size: number): Promise<number[]> =>
  withSession(engine, async (s) => {
    await createSizesTable(engine, s, { ...spec, sizes: [size] }, 'valley_ids');
    const rows = await s.all(`SELECT row_id FROM valley_ids WHERE pos < $n ORDER BY pos`, { n: size });
    return rows.map((r) => Number(r['row_id']));
  });
