import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { ValleyError, type CellStatus, type CellSubmission, type StudyFetch } from '../../../shared/api';
import { submitRequestSchema, type SubmitRequestInput } from '../../../shared/api/cluster';
import type { Study } from '../../../shared/domain/study';
import { conditionLabel, expandStudy, type StudyCell } from '../../../shared/domain/study-expand';
import type { Services } from '../services';
import type { TaskContext } from '../tasks/task-manager';
import { listJobs } from '../cluster/jobs';
import { cancelJob, refreshJobs } from '../cluster/monitor';
import { fetchJob } from '../cluster/results';
import { getProfile } from '../cluster/profiles';
import { openExecutor } from '../cluster/connect';
import { submitJobs, type SubmitSession } from '../cluster/submit';
import { prepareStudy } from './prepare';
import { cellRecords, exportedFile, recordUpload, saveCellRecord, studyStatus } from './state';

/** Cell states that mean "nothing of it is on the cluster": running the study submits these. */
const toSubmit: readonly CellStatus['state'][] = ['planned', 'exported', 'uploaded', 'failed', 'cancelled'];

export interface StudyRunSelection {
  /** Cells to submit, bases before the cells continuing from them. */
  cells: StudyCell[];
  skipped: { cell: string; reason: string }[];
}

/** Studies being submitted by this process: a second run of the same study waits its turn by refusing. */
const submitting = new Set<string>();

const newJobId = (): string =>
  `${new Date().toISOString().slice(2, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;

/** Which cells running the study would submit now: missing, failed or cancelled ones; everything else is left alone. */
export const selectCells = async (svc: Services, study: Study): Promise<StudyRunSelection> => {
  if (!study.cluster)
    throw new ValleyError('bad_input', `Study ${study.name}: cluster: name the cluster profile to run on`, {
      field: 'cluster',
    });
  await getProfile(svc.workspace.engine, study.cluster);
  const status = await studyStatus(svc.workspace, study);
  const byId = new Map(status.cells.map((c) => [c.id, c]));
  const chosen = new Set(status.cells.filter((c) => toSubmit.includes(c.state)).map((c) => c.id));
  const skipped: StudyRunSelection['skipped'] = [];
  for (const c of status.cells) {
    if (!chosen.has(c.id) || !c.baseCell) continue;
    const base = byId.get(c.baseCell);
    if (!base || !base.trains) {
      chosen.delete(c.id);
      skipped.push({ cell: c.id, reason: `its base cell ${c.baseCell} is not a trained cell of this study` });
    }
  }
  const cells = expandStudy(study).cells.filter((c) => chosen.has(c.id));
  // bases first: curve cells never continue from anything (the study file refuses chains of continuations)
  cells.sort((a, b) => Number(a.baseCell !== null) - Number(b.baseCell !== null));
  return { cells, skipped };
};

/** Labels every job (and so every run) of a cell carries: enough to find its cell from a point on a plot. */
const cellLabels = (study: Study, cell: StudyCell): Record<string, string> => {
  const condition = expandStudy(study).conditions.find((c) => c.id === cell.condition);
  const group = condition?.group ?? '';
  // on the Analysis fit: the curve is the 'all' series (or its partition's); each ablation condition its own
  const partition =
    group === 'curve' || group === 'baseline'
      ? (condition?.partition ?? 'all')
      : cell.condition.slice(group.length + 1);
  return {
    study: study.name,
    cell: cell.id,
    condition: cell.condition,
    'condition label': condition ? conditionLabel(condition) : cell.condition,
    group,
    partition,
    'data partition': condition?.partition ?? 'all',
    ...(cell.baseCell ? { 'base cell': cell.baseCell } : {}),
  };
};

/** Where the training file went on the cluster (the config's data_files). */
const remoteDataOf = (files: { name: string; text: string }[]): string | null => {
  const config = files.find((f) => f.name === 'config.yaml');
  if (!config) return null;
  const parsed = parse(config.text) as { dataset?: { data_files?: unknown } } | null;
  return typeof parsed?.dataset?.data_files === 'string' ? parsed.dataset.data_files : null;
};

/** Submit one cell: its train → evaluate chain (an evaluation alone for the baseline). Job ids are recorded first. */
const submitCell = async (
  svc: Services,
  study: Study,
  cell: StudyCell,
  dataDir: string | null,
  continueFrom: string | null,
  passphrase: string | undefined,
  session: SubmitSession,
): Promise<CellSubmission> => {
  const engine = svc.workspace.engine;
  const trainJob = cell.trains ? newJobId() : null;
  const evalJob = newJobId();
  const common = {
    cluster: study.cluster ?? '',
    students: [cell.student],
    seeds: [cell.seed],
    labels: cellLabels(study, cell),
    ...(passphrase ? { passphrase } : {}),
  };
  const req: SubmitRequestInput = cell.trains
    ? {
        ...common,
        template: study.trainer.template,
        data: dataDir ? [dataDir] : [],
        variables: study.trainer.variables,
        evaluate: true,
        evalTemplate: study.evaluation.template,
        evalVariables: study.evaluation.variables,
        jobIds: [trainJob as string, evalJob],
        ...(continueFrom ? { continueFrom } : {}),
      }
    : { ...common, template: study.evaluation.template, variables: study.evaluation.variables, jobIds: [evalJob] };
  const old = (await cellRecords(engine, study.name)).get(cell.id);
  // the cell names its jobs before they exist: a Valley stopped mid-submission leaves them 'submitting' → failed, never orphaned
  await saveCellRecord(engine, study.name, cell.id, { trainJob, evalJob, runId: null });
  try {
    const jobs = await submitJobs(svc, submitRequestSchema.parse(req), session);
    const train = jobs.find((j) => j.id === trainJob);
    const exported = cell.export ? exportedFile(svc.workspace, cell.export, cell.size) : null;
    const remote = train ? remoteDataOf(train.files) : null;
    if (exported && remote && study.cluster) await recordUpload(engine, study.cluster, exported.sha256, remote);
    return { cell: cell.id, trainJob, evalJob, continueFrom };
  } catch (error) {
    const inserted = new Set((await listJobs(engine)).map((j) => j.id));
    if (!inserted.has(evalJob))
      await saveCellRecord(engine, study.name, cell.id, old ?? { trainJob: null, evalJob: null, runId: null });
    throw error;
  }
};

/**
 * Run a study: make what its missing cells need (subsets and exports, once per recipe), then submit each cell's
 * chain; an ablation's training starts from its base cell's checkpoint, after that training succeeded. Cells
 * already submitted, running or done are left alone, so running a study again submits only what is missing or failed.
 */
export const runStudy = async (
  svc: Services,
  study: Study,
  selection: StudyRunSelection,
  ctx: TaskContext,
  passphrase?: string,
): Promise<CellSubmission[]> => {
  if (submitting.has(study.name))
    throw new ValleyError('conflict', `Study ${study.name} is being submitted already`, { field: 'name' });
  submitting.add(study.name);
  try {
    const { cells } = selection;
    if (cells.length === 0) return [];
    ctx.progress(0, 'Subsets and exports');
    const dirs = await prepareStudy(svc, study, cells, ctx);
    svc.bus.emit('workspace.changed', { what: 'studies' });
    const profile = await getProfile(svc.workspace.engine, study.cluster ?? '');
    // one connection for the whole study; each kind of job (template, student) is pre-flighted once
    const session: SubmitSession = {
      ex: await openExecutor(svc.host, profile, passphrase),
      ctx,
      preflighted: new Set(),
    };
    try {
      return await submitCells(svc, study, cells, dirs, passphrase, session);
    } finally {
      session.ex.close();
    }
  } finally {
    submitting.delete(study.name);
  }
};

/** Submit the cells in order: an ablation continues from its base cell's training job (submitted before it). */
const submitCells = async (
  svc: Services,
  study: Study,
  cells: StudyCell[],
  dirs: Map<string, string>,
  passphrase: string | undefined,
  session: SubmitSession,
): Promise<CellSubmission[]> => {
  const { ctx } = session;
  const done: CellSubmission[] = [];
  const trainOf = new Map<string, string | null>();
  for (const [id, rec] of await cellRecords(svc.workspace.engine, study.name)) trainOf.set(id, rec.trainJob);
  for (const [i, cell] of cells.entries()) {
    ctx.checkCancelled();
    ctx.progress(i / cells.length, `Submitting ${cell.id} (${i + 1}/${cells.length})`);
    const from = cell.baseCell ? (trainOf.get(cell.baseCell) ?? null) : null;
    if (cell.baseCell && !from)
      throw new ValleyError('conflict', `Cell ${cell.id} continues from ${cell.baseCell}, which has no training job`, {
        field: 'continue_from',
      });
    const dataDir = cell.export ? (dirs.get(`${cell.export}-${cell.size}`) ?? null) : null;
    const sub = await submitCell(svc, study, cell, dataDir, from, passphrase, session);
    trainOf.set(cell.id, sub.trainJob);
    done.push(sub);
    svc.bus.emit('workspace.changed', { what: 'studies' });
  }
  return done;
};

/** Fetches of one workspace, one after the other (the backend's watcher and a user's fetch never import a run twice). */
const fetchQueue = new WeakMap<Services, Promise<unknown>>();

/** Import every finished chain of the study that is not a run yet, labelled from its cell. */
export const fetchStudy = (svc: Services, study: Study, passphrase?: string, refresh = true): Promise<StudyFetch> => {
  const next = (fetchQueue.get(svc) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => fetchStudyNow(svc, study, passphrase, refresh));
  fetchQueue.set(svc, next);
  return next;
};

const fetchStudyNow = async (
  svc: Services,
  study: Study,
  passphrase: string | undefined,
  refresh: boolean,
): Promise<StudyFetch> => {
  if (refresh) await refreshJobs(svc, passphrase);
  const engine = svc.workspace.engine;
  const status = await studyStatus(svc.workspace, study);
  const jobs = new Map((await listJobs(engine)).map((j) => [j.id, j]));
  const out: StudyFetch = { fetched: [], running: [], errors: [] };
  for (const c of status.cells) {
    if (c.state === 'done' || !c.evalJob) continue;
    const ev = jobs.get(c.evalJob);
    if (!ev) continue;
    if (ev.state !== 'completed') {
      if (['queued', 'training', 'evaluating'].includes(c.state)) out.running.push(c.id);
      continue;
    }
    try {
      const { run } = await fetchJob(svc, ev.id, passphrase);
      await saveCellRecord(engine, study.name, c.id, { runId: run.id });
      out.fetched.push({ cell: c.id, runId: run.id, score: run.metrics['pass@1'] ?? null });
    } catch (error) {
      out.errors.push({ cell: c.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (out.fetched.length) svc.bus.emit('workspace.changed', { what: 'studies' });
  return out;
};

/** Cancel every unfinished job of the study (its cells become cancelled; running the study again resubmits them). */
export const cancelStudy = async (
  svc: Services,
  study: Study,
  passphrase?: string,
): Promise<{ cell: string; jobs: string[] }[]> => {
  const engine = svc.workspace.engine;
  const records = await cellRecords(engine, study.name);
  const jobs = new Map((await listJobs(engine)).map((j) => [j.id, j]));
  const open = (id: string | null) =>
    id && jobs.get(id) && !['completed', 'failed', 'cancelled', 'lost'].includes(jobs.get(id)?.state ?? '') ? id : null;
  const out: { cell: string; jobs: string[] }[] = [];
  // the evaluations first: on Slurm a cancelled training leaves its afterok evaluation pending forever
  for (const c of expandStudy(study).cells) {
    const rec = records.get(c.id);
    const ids = [open(rec?.evalJob ?? null), open(rec?.trainJob ?? null)].filter((x): x is string => x !== null);
    for (const id of ids) await cancelJob(svc, id, passphrase);
    if (ids.length) out.push({ cell: c.id, jobs: ids });
  }
  svc.bus.emit('workspace.changed', { what: 'studies' });
  return out;
};
