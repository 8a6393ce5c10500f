import { ValleyError, type ProblemDetail, type Run, type RunProblem } from '../../../shared/api';
import type { Cell, Engine } from '../engine/engine';
import { listRuns } from './store';

const str = (v: Cell | undefined): string | null => (v === null || v === undefined ? null : String(v));
const int = (v: Cell | undefined): number | null => (v === null || v === undefined ? null : Number(v));

/** The question text of each problem: one row per question id (any import's copy will do, they are the same). */
const QUESTIONS = `(SELECT question_id, any_value(title) AS title, any_value(platform) AS platform,
  any_value(contest_date) AS contest_date, any_value(content) AS content, any_value(starter_code) AS starter_code
  FROM valley_questions GROUP BY question_id)`;

/** A run's problems, hardest-first within nothing: ordered by question id, as the benchmark lists them. */
export const runProblems = async (
  engine: Engine,
  id: string,
): Promise<{ run: Run; problems: RunProblem[]; withOutputs: number }> => {
  const run = (await listRuns(engine)).find((r) => r.id === id);
  if (!run) throw new ValleyError('not_found', `No run with id "${id}"`, { field: 'id' });
  const rows = await engine.all(
    `SELECT p.question_id, q.title, q.platform, p.difficulty, p.n, p.passed, p.completed, p.think_tags
     FROM valley_run_problems p LEFT JOIN ${QUESTIONS} q USING (question_id)
     WHERE p.run_id = $id ORDER BY p.question_id`,
    { id },
  );
  const outs = await engine.all('SELECT count(DISTINCT question_id) AS n FROM valley_run_outputs WHERE run_id = $id', {
    id,
  });
  return {
    run,
    withOutputs: Number(outs[0]?.['n'] ?? 0),
    problems: rows.map((r) => {
      const n = Number(r['n']);
      const passed = Number(r['passed']);
      return {
        questionId: String(r['question_id']),
        title: str(r['title']),
        platform: str(r['platform']),
        difficulty: str(r['difficulty']),
        n,
        passed,
        pass1: n > 0 ? passed / n : 0,
        completed: int(r['completed']),
        thinkTags: int(r['think_tags']),
      };
    }),
  };
};

/**
 * One problem across runs: its question and, per run, its generations. The asked-for runs come first in their
 * order; unless `only`, every other run that answered the problem follows (students, partitions, sizes).
 */
export const problemAcrossRuns = async (
  engine: Engine,
  questionId: string,
  runIds: readonly string[],
  only: boolean,
): Promise<ProblemDetail> => {
  const rows = await engine.all(
    `SELECT run_id, difficulty, n, passed FROM valley_run_problems WHERE question_id = $q`,
    { q: questionId },
  );
  if (rows.length === 0)
    throw new ValleyError('not_found', `No run answered problem "${questionId}"`, { field: 'questionId' });
  const runs = await listRuns(engine);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const answered = new Map(rows.map((r) => [String(r['run_id']), r]));
  for (const id of runIds) {
    if (!byId.has(id)) throw new ValleyError('not_found', `No run with id "${id}"`, { field: 'runIds' });
  }
  const order = [
    ...runIds.filter((id) => answered.has(id)),
    ...(only ? [] : runs.map((r) => r.id).filter((id) => answered.has(id) && !runIds.includes(id))),
  ];
  const outputs = await engine.all(
    `SELECT run_id, idx, output, code, passed, detail FROM valley_run_outputs WHERE question_id = $q ORDER BY run_id, idx`,
    { q: questionId },
  );
  const q = await engine.all(`SELECT * FROM ${QUESTIONS} WHERE question_id = $q`, { q: questionId });
  const text = q[0];
  return {
    questionId,
    title: str(text?.['title']),
    platform: str(text?.['platform']),
    difficulty: str(rows.find((r) => r['difficulty'] !== null)?.['difficulty']),
    contestDate: str(text?.['contest_date']),
    content: str(text?.['content']),
    starterCode: str(text?.['starter_code']),
    runs: order.map((id) => {
      const p = answered.get(id) as Record<string, Cell>;
      const n = Number(p['n']);
      const passed = Number(p['passed']);
      return {
        run: byId.get(id) as Run,
        n,
        passed,
        pass1: n > 0 ? passed / n : 0,
        outputs: outputs
          .filter((o) => o['run_id'] === id)
          .map((o) => ({
            index: Number(o['idx']),
            output: String(o['output'] ?? ''),
            code: str(o['code']),
            passed: o['passed'] === null ? null : o['passed'] === true,
            detail: str(o['detail']),
          })),
      };
    }),
  };
};
