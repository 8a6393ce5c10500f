import type { Run } from '../../../shared/api';
import type { AppendKind, Engine, Session } from '../engine/engine';

export interface NewRun {
  id: string;
  name: string;
  student: string;
  size: number | null;
  partition: string;
  seed: number | null;
  status: string;
  labels: Record<string, string>;
  source: string;
  isDemo: boolean;
}

/**
 * One benchmark problem's outcome in a run: n generations, how many passed, completed, had think tags
 * (completed and think tags null when the results hold no generation text, as LiveCodeBench's *_eval.json).
 */
export interface ProblemResult {
  questionId: string;
  difficulty: string | null;
  n: number;
  passed: number;
  completed: number | null;
  thinkTags: number | null;
  /** The generations as graded, when the results hold their text (LiveCodeBench *_eval_all.json). */
  outputs?: readonly ProblemOutput[];
  /** The benchmark question itself, when the results carry it. */
  question?: QuestionText | null;
}

export interface ProblemOutput {
  output: string;
  /** The code LiveCodeBench extracted and ran (code_list); null when the file does not say. */
  code: string | null;
  passed: boolean | null;
  detail: string | null;
}

export interface QuestionText {
  title: string | null;
  platform: string | null;
  contestDate: string | null;
  content: string | null;
  starterCode: string | null;
}

const problemKinds: readonly AppendKind[] = [
  'varchar',
  'varchar',
  'varchar',
  'integer',
  'integer',
  'integer',
  'integer',
];

/**
 * Store a run with its per-problem outcomes and derive its metrics the way LiveCodeBench does:
 * pass@1 per problem = passed / n; overall and per-difficulty pass@1 = mean over problems.
 * Completion rate and think-tag occurrence are shares of all generations, left out (unknown) without generation text.
 */
export const insertRun = async (s: Session, run: NewRun, problems: readonly ProblemResult[]): Promise<void> => {
  await s.run(
    `INSERT INTO valley_runs (id, name, student, size, partition, seed, status, labels, source, is_demo)
     VALUES ($id, $name, $student, $size, $partition, $seed, $status, $labels, $source, $demo)`,
    {
      id: run.id,
      name: run.name,
      student: run.student,
      size: run.size,
      partition: run.partition,
      seed: run.seed,
      status: run.status,
      labels: JSON.stringify(run.labels),
      source: run.source,
      demo: run.isDemo,
    },
  );
  await s.append(
    'valley_run_problems',
    problemKinds,
    problems.map((p) => [run.id, p.questionId, p.difficulty, p.n, p.passed, p.completed, p.thinkTags]),
  );
  await s.append(
    'valley_run_outputs',
    ['varchar', 'varchar', 'integer', 'varchar', 'varchar', 'boolean', 'varchar'],
    problems.flatMap((p) =>
      (p.outputs ?? []).map((o, i) => [run.id, p.questionId, i, o.output, o.code, o.passed, o.detail]),
    ),
  );
  const questions = problems.filter((p) => p.question);
  if (questions.length > 0) {
    // one row per question: the newest import's text replaces what an earlier run brought
    await s.run(
      `DELETE FROM valley_questions WHERE question_id IN (SELECT question_id FROM valley_run_problems WHERE run_id = $id)`,
      { id: run.id },
    );
    await s.append(
      'valley_questions',
      ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar'],
      questions.map((p) => {
        const q = p.question as QuestionText;
        return [p.questionId, q.title, q.platform, q.contestDate, q.content, q.starterCode];
      }),
    );
  }
  await computeRunMetrics(s, run.id);
};

export const computeRunMetrics = async (s: Session, runId: string): Promise<void> => {
  await s.run(
    `INSERT OR REPLACE INTO valley_run_metrics
     WITH p AS (SELECT * FROM valley_run_problems WHERE run_id = $id AND n > 0)
     SELECT $id, 'pass@1', avg(passed / n) FROM p HAVING count(*) > 0
     UNION ALL
     SELECT $id, 'pass@1/' || lower(difficulty), avg(passed / n) FROM p WHERE difficulty IS NOT NULL GROUP BY difficulty
     UNION ALL
     SELECT $id, 'completion_rate', sum(completed) / sum(n) FROM p WHERE completed IS NOT NULL HAVING count(*) > 0
     UNION ALL
     SELECT $id, 'think_rate', sum(think_tags) / sum(n) FROM p WHERE think_tags IS NOT NULL HAVING count(*) > 0`,
    { id: runId },
  );
};

export const listRuns = async (engine: Engine): Promise<Run[]> => {
  const rows = await engine.all(`
    SELECT r.*, strftime(r.created_at, '%Y-%m-%dT%H:%M:%S') AS created,
      (SELECT count(*) FROM valley_run_problems p WHERE p.run_id = r.id) AS problems,
      (SELECT to_json(map(list(metric), list(value))) FROM valley_run_metrics m WHERE m.run_id = r.id) AS metrics
    FROM valley_runs r ORDER BY r.student, r.partition, r.size NULLS FIRST, r.seed, r.name`);
  return rows.map((r) => ({
    id: String(r['id']),
    name: String(r['name']),
    student: String(r['student']),
    size: r['size'] === null ? null : Number(r['size']),
    partition: String(r['partition']),
    seed: r['seed'] === null ? null : Number(r['seed']),
    status: String(r['status']),
    labels: JSON.parse(String(r['labels'] ?? '{}')) as Record<string, string>,
    metrics: r['metrics'] ? (JSON.parse(String(r['metrics'])) as Record<string, number>) : {},
    problems: Number(r['problems']),
    source: String(r['source']),
    isDemo: r['is_demo'] === true,
    createdAt: String(r['created']),
  }));
};
