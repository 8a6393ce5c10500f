import { ValleyError, type SubsetPlan, type SubsetSpec } from '../../../shared/api';
import { ident, type Engine, type Session } from '../engine/engine';
import { filterWhere, sqlValue, traceDataset } from '../traces/filter-sql';
import { requireFit } from './fitness';

/** The key that says which traces answer the same question (question_id, else the question text). */
export const QUESTION_KEY = "coalesce(question_id, 'md5:' || md5(coalesce(question, '')))";

/**
 * The sampling order of a recipe, as SQL yielding (row_id, pos, stratum, qkey). Every size takes the
 * first `size` positions, so the subsets are nested by construction.
 *  - order: md5 of (id, seed), ties by row_id — the same on every machine, independent of storage order;
 *  - dedup: keep the first k per question in that order;
 *  - stratify: the i-th of n_s rows of stratum s gets key (i + 0.5) / n_s and the order follows the keys,
 *    so every prefix holds each stratum in proportion (systematic stratified sampling), still nested.
 */
export const orderedSql = async (
  engine: Engine,
  spec: SubsetSpec,
): Promise<{ sql: string; relation: string; rows: number }> => {
  const d = await traceDataset(engine, spec.dataset);
  const filter = { ...spec.filter, partition: spec.partition ?? spec.filter.partition };
  const where = await filterWhere(engine, d, filter);
  const seed = sqlValue(String(spec.seed));
  const stratum = spec.stratify ? `coalesce(CAST(${ident(spec.stratify)} AS VARCHAR), '(none)')` : `''`;
  const dedup =
    spec.maxPerQuestion === null
      ? ''
      : `QUALIFY row_number() OVER (PARTITION BY qkey ORDER BY h, row_id) <= ${spec.maxPerQuestion}`;
  const pool = `SELECT row_id, ${stratum} AS stratum, ${QUESTION_KEY} AS qkey,
                       md5_number(coalesce(id, 'row:' || row_id::VARCHAR) || '#' || ${seed}) AS h
                  FROM ${ident(d.relation)} WHERE ${where} ${dedup}`;
  const ranked = spec.stratify
    ? `SELECT *, (row_number() OVER (PARTITION BY stratum ORDER BY h, row_id) - 0.5) / count(*) OVER (PARTITION BY stratum) AS skey
         FROM (${pool}) pool`
    : pool;
  const order = spec.stratify ? 'skey, h, row_id' : 'h, row_id';
  return {
    sql: `SELECT row_id, (row_number() OVER (ORDER BY ${order}) - 1)::BIGINT AS pos, stratum, qkey FROM (${ranked}) ranked`,
    relation: d.relation,
    rows: d.rows,
  };
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

/** Materialize the order into a TEMP table on `s` (row_id, pos, …); refuse sizes beyond what is available. */
export const createOrderTable = async (
  engine: Engine,
  s: Session,
  spec: SubsetSpec,
  table: string,
): Promise<number> => {
  const { sql } = await orderedSql(engine, spec);
  await s.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${sql} ORDER BY pos`);
  const n = await s.all(`SELECT count(*) AS n FROM ${table}`);
  const available = Number(n[0]?.['n'] ?? 0);
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

/** Materialize the order and describe each size: strata and distinct questions. */
export const materializeOrder = async (
  engine: Engine,
  s: Session,
  spec: SubsetSpec,
  table: string,
): Promise<SubsetPlan> => {
  const available = await createOrderTable(engine, s, spec, table);
  const sizes = [...new Set(spec.sizes)].sort((a, b) => a - b);
  const strataRows = await s.all(
    `SELECT sz.size, o.stratum, count(*) AS n, count(DISTINCT o.qkey) AS q
       FROM ${table} o, (SELECT unnest(from_json($sizes, '["BIGINT"]')) AS size) sz
      WHERE o.pos < sz.size GROUP BY GROUPING SETS ((sz.size, o.stratum), (sz.size))`,
    { sizes: JSON.stringify(sizes) },
  );
  const pool = await s.all(`SELECT stratum, count(*) AS n FROM ${table} GROUP BY stratum ORDER BY stratum`);
  const plan: SubsetPlan = {
    available,
    sizes: sizes.map((size) => ({ size, strata: {}, questions: 0 })),
    poolStrata: spec.stratify ? Object.fromEntries(pool.map((r) => [String(r['stratum']), Number(r['n'])])) : {},
  };
  for (const r of strataRows) {
    const entry = plan.sizes.find((x) => x.size === Number(r['size']));
    if (!entry) continue;
    if (r['stratum'] === null) entry.questions = Number(r['q']);
    else if (spec.stratify) entry.strata[String(r['stratum'])] = Number(r['n']);
  }
  for (const e of plan.sizes)
    e.strata = Object.fromEntries(Object.entries(e.strata).sort(([a], [b]) => a.localeCompare(b)));
  return plan;
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
  withSession(engine, async (s) => {
    const plan = await materializeOrder(engine, s, spec, 'valley_plan');
    if (fitFor !== undefined && spec.sizes.length) {
      const { relation } = await traceDataset(engine, spec.dataset);
      await requireFit(s, relation, 'valley_plan', Math.max(...spec.sizes), fitFor);
    }
    return plan;
  });

/** Row ids of the first `size` positions, in sampling order. */
export const subsetIds = (engine: Engine, spec: SubsetSpec, size: number): Promise<number[]> =>
  withSession(engine, async (s) => {
    await materializeOrder(engine, s, { ...spec, sizes: [size] }, 'valley_ids');
    const rows = await s.all(`SELECT row_id FROM valley_ids WHERE pos < $n ORDER BY pos`, { n: size });
    return rows.map((r) => Number(r['row_id']));
  });
