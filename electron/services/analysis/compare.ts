import { ValleyError, type Run } from '../../../shared/api';
import type { Engine } from '../engine/engine';
import { listRuns } from '../runs/store';

export interface ProblemDiff {
  questionId: string;
  difficulty: string | null;
  a: number;
  b: number;
}

const findRun = (runs: readonly Run[], id: string, field: string): Run => {
  const run = runs.find((r) => r.id === id);
  if (!run) throw new ValleyError('not_found', `No run with id "${id}"`, { field });
  return run;
};

/**
 * Two runs problem by problem. A problem counts as solved when at least one of its generations passed
 * (passed > 0); `a` and `b` are each run's per-problem pass@1 (passed / n).
 */
export const compareRuns = async (engine: Engine, aId: string, bId: string) => {
  const runs = await listRuns(engine);
  const a = findRun(runs, aId, 'a');
  const b = findRun(runs, bId, 'b');
  const rows = await engine.all(
    `SELECT coalesce(pa.question_id, pb.question_id) AS q, coalesce(pa.difficulty, pb.difficulty) AS d,
            pa.passed / pa.n AS sa, pb.passed / pb.n AS sb, pa.passed AS xa, pb.passed AS xb, qt.title AS t
     FROM (SELECT * FROM valley_run_problems WHERE run_id = ? AND n > 0) pa
     FULL OUTER JOIN (SELECT * FROM valley_run_problems WHERE run_id = ? AND n > 0) pb USING (question_id)
     LEFT JOIN (SELECT question_id, any_value(title) AS title FROM valley_questions GROUP BY question_id) qt
       ON qt.question_id = coalesce(pa.question_id, pb.question_id)
     ORDER BY q`,
    [aId, bId],
  );
  const onlyA: ProblemDiff[] = [];
  const onlyB: ProblemDiff[] = [];
  const problems: (ProblemDiff & { title: string | null; solvedA: boolean; solvedB: boolean })[] = [];
  let both = 0;
  let neither = 0;
  let unmatched = 0;
  for (const r of rows) {
    if (r['sa'] === null || r['sb'] === null) {
      unmatched++;
      continue;
    }
    const diff = {
      questionId: String(r['q']),
      difficulty: r['d'] === null ? null : String(r['d']),
      a: Number(r['sa']),
      b: Number(r['sb']),
    };
    const solvedA = Number(r['xa']) > 0;
    const solvedB = Number(r['xb']) > 0;
    problems.push({ ...diff, title: r['t'] === null ? null : String(r['t']), solvedA, solvedB });
    if (solvedA && solvedB) both++;
    else if (!solvedA && !solvedB) neither++;
    else (solvedA ? onlyA : onlyB).push(diff);
  }
  return { a, b, onlyA, onlyB, both, neither, unmatched, problems };
};
