import type { Engine } from '../engine/engine';

/** Per-problem score of a run for a metric; null when the metric is not computed from per-problem results. */
export const problemScoreSql = (metric: string): { expr: string; where: string; params: string[] } | null => {
  if (metric === 'pass@1') return { expr: 'passed / n', where: '', params: [] };
  if (metric.startsWith('pass@1/'))
    return { expr: 'passed / n', where: 'AND lower(difficulty) = ?', params: [metric.slice(7).toLowerCase()] };
  if (metric === 'completion_rate') return { expr: 'completed / n', where: 'AND completed IS NOT NULL', params: [] };
  if (metric === 'think_rate') return { expr: 'think_tags / n', where: 'AND think_tags IS NOT NULL', params: [] };
  return null;
};

/** run id → (question id → per-problem score) for the given runs and metric (empty when not per-problem). */
export const loadProblemScores = async (
  engine: Engine,
  runIds: readonly string[],
  metric: string,
): Promise<Map<string, Map<string, number>>> => {
  const out = new Map<string, Map<string, number>>();
  const sql = problemScoreSql(metric);
  if (!sql || runIds.length === 0) return out;
  const marks = runIds.map(() => '?').join(', ');
  const rows = await engine.all(
    `SELECT run_id, question_id, ${sql.expr} AS score FROM valley_run_problems
     WHERE n > 0 AND run_id IN (${marks}) ${sql.where} ORDER BY run_id, question_id`,
    [...runIds, ...sql.params],
  );
  for (const r of rows) {
    const id = String(r['run_id']);
    const m = out.get(id) ?? new Map<string, number>();
    m.set(String(r['question_id']), Number(r['score']));
    out.set(id, m);
  }
  return out;
};

/** Average several runs' per-problem scores question by question (questions missing from a run are skipped there). */
export const pooledScores = (byRun: Map<string, Map<string, number>>, runIds: readonly string[]): number[] => {
  const sums = new Map<string, { s: number; c: number }>();
  for (const id of runIds) {
    for (const [q, v] of byRun.get(id) ?? []) {
      const e = sums.get(q) ?? { s: 0, c: 0 };
      e.s += v;
      e.c += 1;
      sums.set(q, e);
    }
  }
  return [...sums.keys()].sort().map((q) => {
    const e = sums.get(q) as { s: number; c: number };
    return e.s / e.c;
  });
};
