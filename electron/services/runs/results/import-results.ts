import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ValleyError, type ResultFormat, type ResultsImportResult } from '../../../../shared/api';
import type { Session } from '../../engine/engine';
import type { Services } from '../../services';
import type { TaskContext } from '../../tasks/task-manager';
import { insertRun, listRuns, type NewRun, type ProblemResult } from '../store';
import { parseTrainingLog, type CurvePoint } from './curves';
import { parseEval, parseEvalAll } from './lcb';
import { isRunsCsv, parseRunsCsv } from './runs-csv';

export interface ResultsRequest {
  paths: string[];
  labels: Record<string, string>;
  runId?: string;
}

const runIdFor = (file: string, key: string) =>
  createHash('sha1').update(`${file}\u0000${key}`).digest('hex').slice(0, 16);

const stem = (file: string) =>
  basename(file)
    .replace(/\.(json|jsonl|log|txt|csv)$/i, '')
    .replace(/_eval(_all)?$/i, '');

/**
 * LiveCodeBench writes `output/<model>/Scenario.codegeneration_<n>_<temperature>_eval_all.json`: the model is the
 * folder (its own output names start with the scenario). The run is named after the model, with the scenario.
 */
export const lcbModel = (file: string): string | null =>
  /^Scenario\./.test(basename(file)) ? basename(dirname(file)) || null : null;

const lcbRunName = (file: string): { name: string; student: string | null } => {
  const model = lcbModel(file);
  return model
    ? { name: `${model} ${stem(file).replace(/^Scenario\./, '')}`, student: model }
    : { name: stem(file), student: null };
};

/** The `_eval.json` and `_eval_all.json` of one LiveCodeBench run are one run: same key, same id. */
const runKey = (file: string) => file.replace(/_eval(_all)?\.json$/i, '');

const parseJsonFile = (file: string, text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new ValleyError('bad_input', `${file}${line ? `, line ${line}` : ''}: malformed JSON: ${message}`, {
      file,
      ...(line ? { line } : {}),
    });
  }
};

const num = (v: string | undefined): number | null =>
  v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;

/** A run from labels: student, size, partition and seed have their own columns, the rest stay labels. */
const runFrom = (id: string, name: string, file: string, status: string, labels: Record<string, string>): NewRun => ({
  id,
  name: labels['name'] ?? name,
  student: labels['student'] ?? labels['model'] ?? name.split('_')[0] ?? name,
  size: num(labels['size']),
  partition: labels['partition'] ?? 'all',
  seed: num(labels['seed']),
  status,
  labels,
  source: file,
  isDemo: false,
});

export const deleteRunRows = async (s: Session, id: string): Promise<void> => {
  for (const table of ['valley_run_curves', 'valley_run_metrics', 'valley_run_outputs', 'valley_run_problems']) {
    await s.run(`DELETE FROM ${table} WHERE run_id = $id`, { id });
  }
  await s.run('DELETE FROM valley_runs WHERE id = $id', { id });
};

const insertCurve = async (s: Session, runId: string, points: readonly CurvePoint[]) => {
  await s.run('DELETE FROM valley_run_curves WHERE run_id = $id', { id: runId });
  await s.append(
    'valley_run_curves',
    ['varchar', 'bigint', 'varchar', 'double'],
    points.map((p) => [runId, p.step, p.metric, p.value]),
  );
  const last = [...points].reverse().find((p) => p.metric === 'loss');
  if (last) {
    await s.run(`INSERT OR REPLACE INTO valley_run_metrics VALUES ($id, 'train_loss', $v)`, {
      id: runId,
      v: last.value,
    });
  }
};

const formatOf = async (svc: Services, file: string, text: string | null): Promise<ResultFormat> => {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) {
    if (await isRunsCsv(svc.workspace.engine, file)) return 'runs-csv';
    throw new ValleyError(
      'bad_input',
      `${file}, line 1: a results CSV needs the header model,size,partition,seed,metric,value`,
      { file, line: 1 },
    );
  }
  if (lower.endsWith('_eval_all.json')) return 'lcb-eval-all';
  if (lower.endsWith('_eval.json')) return 'lcb-eval';
  if (/\.(log|txt|jsonl)$/.test(lower)) return 'torchtune-log';
  if (lower.endsWith('.json') && text !== null) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('[{') || trimmed.startsWith('[\n') || trimmed.startsWith('[ ')) {
      const data = parseJsonFile(file, text);
      if (Array.isArray(data) && data.length === 3 && !Array.isArray(data[0]) && typeof data[1] === 'object')
        return 'lcb-eval';
      return 'lcb-eval-all';
    }
  }
  throw new ValleyError(
    'bad_input',
    `${file}: not a results file Valley knows (LiveCodeBench *_eval_all.json / *_eval.json, a torchtune log, a CSV with model,size,partition,seed,metric,value)`,
    { file },
  );
};

/** Import every file in one transaction: all runs appear, or (on any error) none. */
export const importResults = async (
  svc: Services,
  req: ResultsRequest,
  ctx: TaskContext,
): Promise<ResultsImportResult> => {
  const engine = svc.workspace.engine;
  const files: ResultsImportResult['files'] = [];
  const writes: ((s: Session) => Promise<void>)[] = [];
  for (const [i, given] of req.paths.entries()) {
    ctx.checkCancelled();
    ctx.progress(i / req.paths.length, `reading ${basename(given)}`);
    const file = resolve(given);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile())
      throw new ValleyError('not_found', `${given} does not exist or is not a file`, { file: given });
    if (info.size === 0) throw new ValleyError('bad_input', `${file} is empty (0 bytes)`, { file });
    const text = file.toLowerCase().endsWith('.csv') ? null : await readFile(file, 'utf8');
    const format = await formatOf(svc, file, text);
    const runs: string[] = [];
    if (format === 'lcb-eval-all' || format === 'lcb-eval') {
      const data = parseJsonFile(file, text ?? '');
      const problems: ProblemResult[] = format === 'lcb-eval-all' ? parseEvalAll(file, data) : parseEval(file, data);
      const id = runIdFor(runKey(file), JSON.stringify(req.labels));
      runs.push(id);
      const { name, student } = lcbRunName(file);
      writes.push(async (s) => {
        if (format === 'lcb-eval') {
          // the run's _eval_all.json (per-problem outcomes with generations) says more: keep it
          const have = await s.all('SELECT source FROM valley_runs WHERE id = $id', { id });
          if (/_eval_all\.json$/i.test(String(have[0]?.['source'] ?? ''))) return;
        }
        await deleteRunRows(s, id);
        const run = runFrom(id, name, file, 'evaluated', req.labels);
        await insertRun(
          s,
          student && !req.labels['student'] && !req.labels['model'] ? { ...run, student } : run,
          problems,
        );
      });
    } else if (format === 'torchtune-log') {
      const points = parseTrainingLog(file, text ?? '');
      const id = req.runId ?? runIdFor(file, JSON.stringify(req.labels));
      runs.push(id);
      writes.push(async (s) => {
        if (req.runId) {
          const found = await s.all('SELECT id FROM valley_runs WHERE id = $id', { id });
          if (found.length === 0) throw new ValleyError('not_found', `No run with id ${id}`, { field: 'runId' });
        } else {
          await deleteRunRows(s, id);
          await insertRun(s, runFrom(id, stem(file), file, 'trained', req.labels), []);
        }
        await insertCurve(s, id, points);
      });
    } else {
      for (const r of await parseRunsCsv(engine, file)) {
        const id = runIdFor(file, r.key);
        runs.push(id);
        const labels = { ...r.labels, ...req.labels };
        const run = {
          ...runFrom(id, `${r.student}-${r.partition}-${r.size ?? 'na'}-s${r.seed ?? 'na'}`, file, 'evaluated', labels),
          student: r.student,
          size: r.size,
          partition: r.partition,
          seed: r.seed,
        };
        writes.push(async (s) => {
          await deleteRunRows(s, id);
          await insertRun(s, run, []);
          for (const [metric, value] of Object.entries(r.metrics)) {
            await s.run('INSERT OR REPLACE INTO valley_run_metrics VALUES ($id, $m, $v)', { id, m: metric, v: value });
          }
        });
      }
    }
    files.push({ path: file, format, runs });
  }
  ctx.checkCancelled();
  await engine.transaction(async (s) => {
    for (const write of writes) await write(s);
  });
  svc.bus.emit('workspace.changed', { what: 'runs' });
  const ids = new Set(files.flatMap((f) => f.runs));
  return { files, runs: (await listRuns(engine)).filter((r) => ids.has(r.id)) };
};
