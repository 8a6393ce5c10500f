import { ValleyError, type ContaminationHit } from '../../../shared/api';
import { columnsOf, ident, type Engine } from '../engine/engine';
import { filterWhere, sqlValue, traceDataset } from '../traces/filter-sql';
import { QUESTION_KEY } from './sampler';

export interface ContaminationRequest {
  dataset: string;
  benchmark: string;
  column?: string | undefined;
  n: number;
  threshold: number;
  partition: string | null;
  limit: number;
}

/** Distinct hashed word n-grams (`g`) of a text column: lowercase, split on anything not a letter or digit. */
const gramsFrom = (keep: string, col: string, source: string, n: number): string =>
  `SELECT ${keep}, list_distinct(list_transform(range(1, len(w) - ${n - 2}), i -> hash(array_to_string(w[i:i + ${n - 1}], ' ')))) AS g
     FROM (SELECT *, list_filter(string_split_regex(lower(coalesce(${col}, '')), '[^a-z0-9]+'), x -> x <> '') AS w FROM ${source})`;

/**
 * For each distinct training question: the share of its word n-grams found in the single most
 * similar benchmark problem. Questions at or above the threshold are hits.
 */
const flaggedSql = async (engine: Engine, req: ContaminationRequest): Promise<{ sql: string; relation: string }> => {
  const d = await traceDataset(engine, req.dataset);
  const b = await traceDataset(engine, req.benchmark, 'benchmark');
  const cols = await columnsOf(engine, b.relation);
  const column = req.column ?? ['question_content', 'question'].find((c) => cols.has(c));
  if (!column || !cols.has(column)) {
    throw new ValleyError(
      'bad_input',
      `Benchmark "${b.name}" has no column ${req.column ?? 'question_content or question'}; it has ${[...cols].join(', ')}`,
      {
        field: 'column',
      },
    );
  }
  const idCol = ['question_id', 'id', 'question_title'].find((c) => cols.has(c));
  const pid = idCol ? `CAST(${ident(idCol)} AS VARCHAR)` : `CAST(row_number() OVER () AS VARCHAR)`;
  const where = await filterWhere(engine, d, { clauses: [], search: '', partition: req.partition });
  const sql = `
    WITH bp AS (SELECT ${pid} AS pid, ${ident(column)} AS text FROM ${ident(b.relation)}),
    bg AS (SELECT DISTINCT pid, unnest(g) AS g FROM (${gramsFrom('pid', 'text', 'bp', req.n)})),
    tq AS (SELECT ${QUESTION_KEY} AS qkey, any_value(question_id) AS question_id, any_value(question) AS question, count(*) AS traces
             FROM ${ident(d.relation)} WHERE ${where} GROUP BY ALL),
    tg AS (SELECT qkey, g, len(g) AS total FROM (${gramsFrom('qkey', 'question', 'tq', req.n)}) WHERE len(g) > 0),
    m AS (SELECT t.qkey, bg.pid, count(*) AS hits FROM (SELECT qkey, unnest(g) AS g FROM tg) t JOIN bg USING (g) GROUP BY ALL),
    best AS (SELECT qkey, arg_max(pid, hits) AS pid, max(hits) AS hits FROM m GROUP BY qkey)
    SELECT tq.qkey, tq.question_id, tq.question, tq.traces, best.pid, best.hits / tg.total AS overlap, bp.text AS problem
      FROM best JOIN tg USING (qkey) JOIN tq USING (qkey) JOIN bp ON bp.pid = best.pid
     WHERE best.hits / tg.total >= ${sqlValue(req.threshold)}`;
  return { sql, relation: d.relation };
};

export const checkContamination = async (
  engine: Engine,
  req: ContaminationRequest,
): Promise<{
  questionsChecked: number;
  problems: number;
  flaggedQuestions: number;
  flaggedTraces: number;
  hits: ContaminationHit[];
}> => {
  const { sql } = await flaggedSql(engine, req);
  const rows = await engine.all(`${sql} ORDER BY overlap DESC, traces DESC, qkey`);
  const d = await traceDataset(engine, req.dataset);
  const b = await traceDataset(engine, req.benchmark, 'benchmark');
  const where = await filterWhere(engine, d, { clauses: [], search: '', partition: req.partition });
  const sizes = await engine.all(
    `SELECT (SELECT count(DISTINCT ${QUESTION_KEY}) FROM ${ident(d.relation)} WHERE ${where}) AS q, (SELECT count(*) FROM ${ident(b.relation)}) AS b`,
  );
  const questionsChecked = Number(sizes[0]?.['q'] ?? 0);
  const problems = Number(sizes[0]?.['b'] ?? 0);
  return {
    questionsChecked,
    problems,
    flaggedQuestions: rows.length,
    flaggedTraces: rows.reduce((a, r) => a + Number(r['traces']), 0),
    hits: rows.slice(0, req.limit).map((r) => ({
      questionId: r['question_id'] === null ? null : String(r['question_id']),
      question: String(r['question'] ?? '').slice(0, 400),
      traces: Number(r['traces']),
      overlap: Math.round(Number(r['overlap']) * 10_000) / 10_000,
      problemId: r['pid'] === null ? null : String(r['pid']),
      problem: String(r['problem'] ?? '').slice(0, 400),
    })),
  };
};

/** Row ids of every trace (in the whole dataset) whose question was flagged. */
export const contaminatedRowIds = async (engine: Engine, req: ContaminationRequest): Promise<number[]> => {
  const { sql, relation } = await flaggedSql(engine, req);
  const rows = await engine.all(
    `SELECT row_id FROM ${ident(relation)} WHERE ${QUESTION_KEY} IN (SELECT qkey FROM (${sql})) ORDER BY row_id`,
  );
  return rows.map((r) => Number(r['row_id']));
};
