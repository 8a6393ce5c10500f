import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CellStatus, StudyStatus } from '../../../shared/api';
import type { Job } from '../../../shared/api/cluster';
import type { CellState, Study } from '../../../shared/domain/study';
import { conditionLabel, expandStudy, type StudyCell } from '../../../shared/domain/study-expand';
import type { Engine } from '../engine/engine';
import { listJobs, type JobRecord } from '../cluster/jobs';
import { MANIFEST, readManifestFileSync } from '../curate/manifest';
import type { Workspace } from '../workspace/workspace';

/**
 * The small persisted part of a study's state: which jobs each cell's chain is, which run it became, and
 * which files went to which cluster. Everything else (exports, job states, runs) is read from the workspace,
 * so a backend that stops mid-study picks up where it was.
 */
const ready = new WeakMap<Engine, Promise<void>>();
/** Made once per engine; concurrent callers wait for the same creation (two CREATEs at once conflict in DuckDB). */
export const ensureStudyTables = (engine: Engine): Promise<void> => {
  const made = ready.get(engine) ?? createStudyTables(engine);
  ready.set(engine, made);
  made.catch(() => ready.delete(engine));
  return made;
};

const createStudyTables = async (engine: Engine): Promise<void> => {
  await engine.run(`CREATE TABLE IF NOT EXISTS valley_study_cells (study VARCHAR NOT NULL, cell VARCHAR NOT NULL,
      train_job VARCHAR, eval_job VARCHAR, run_id VARCHAR, updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
      PRIMARY KEY (study, cell));
    CREATE TABLE IF NOT EXISTS valley_study_uploads (cluster VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, remote_path VARCHAR NOT NULL,
      uploaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp, PRIMARY KEY (cluster, sha256));`);
};

export interface CellRecord {
  trainJob: string | null;
  evalJob: string | null;
  runId: string | null;
}

export const cellRecords = async (engine: Engine, study: string): Promise<Map<string, CellRecord>> => {
  await ensureStudyTables(engine);
  const rows = await engine.all(
    'SELECT cell, train_job, eval_job, run_id FROM valley_study_cells WHERE study = $study',
    { study },
  );
  const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return new Map(
    rows.map((r) => [
      String(r['cell']),
      { trainJob: s(r['train_job']), evalJob: s(r['eval_job']), runId: s(r['run_id']) },
    ]),
  );
};

export const saveCellRecord = async (
  engine: Engine,
  study: string,
  cell: string,
  rec: Partial<CellRecord>,
): Promise<void> => {
  await ensureStudyTables(engine);
  const old = (await cellRecords(engine, study)).get(cell) ?? { trainJob: null, evalJob: null, runId: null };
  const next = { ...old, ...rec };
  await engine.run(
    `INSERT OR REPLACE INTO valley_study_cells (study, cell, train_job, eval_job, run_id, updated_at)
     VALUES ($study, $cell, $train, $eval, $run, current_timestamp)`,
    { study, cell, train: next.trainJob, eval: next.evalJob, run: next.runId },
  );
};

export const recordUpload = async (
  engine: Engine,
  cluster: string,
  sha256: string,
  remotePath: string,
): Promise<void> => {
  await ensureStudyTables(engine);
  await engine.run(
    'INSERT OR REPLACE INTO valley_study_uploads (cluster, sha256, remote_path) VALUES ($cluster, $sha, $path)',
    { cluster, sha: sha256, path: remotePath },
  );
};

export const uploadedFiles = async (engine: Engine, cluster: string): Promise<Map<string, string>> => {
  await ensureStudyTables(engine);
  const rows = await engine.all('SELECT sha256, remote_path FROM valley_study_uploads WHERE cluster = $cluster', {
    cluster,
  });
  return new Map(rows.map((r) => [String(r['sha256']), String(r['remote_path'])]));
};

/** Where one size of a study export recipe is written: one folder each (one training file), shared by every study that needs it. */
export const studyExportDir = (ws: Workspace, exportId: string, size: number): string =>
  ws.path('exports', `study-${exportId}-${size}`);

/** The export's manifest entry for one size, if that size has been exported. */
export const exportedFile = (
  ws: Workspace,
  exportId: string,
  size: number,
): { manifest: string; file: string; sha256: string; rows: number } | null => {
  const dir = studyExportDir(ws, exportId, size);
  const manifest = join(dir, MANIFEST);
  if (!existsSync(manifest)) return null;
  try {
    const m = readManifestFileSync(manifest).manifest;
    const f = m.files.find((x) => x.size === size && x.format === 'torchtune');
    return f ? { manifest, file: join(dir, f.path), sha256: f.sha256, rows: f.rows } : null;
  } catch {
    return null;
  }
};

const jobState = (train: Job | null, evalJob: Job | null): { state: CellState; detail: string } | null => {
  const word = (j: Job) => `${j.detail || j.state}${j.remoteId ? ` (${j.remoteId})` : ''}`;
  if (train) {
    if (train.state === 'failed' || train.state === 'lost')
      return { state: 'failed', detail: `training ${word(train)}` };
    if (train.state === 'cancelled') return { state: 'cancelled', detail: `training ${word(train)}` };
    if (train.state === 'submitting' || train.state === 'pending')
      return { state: 'queued', detail: `training ${word(train)}` };
    if (train.state === 'running')
      return { state: 'training', detail: `training ${word(train)}${train.node ? ` on ${train.node}` : ''}` };
  }
  if (!evalJob) return train ? { state: 'evaluating', detail: 'trained; no evaluation job' } : null;
  if (evalJob.state === 'failed' || evalJob.state === 'lost')
    return { state: 'failed', detail: `evaluation ${word(evalJob)}` };
  if (evalJob.state === 'cancelled') return { state: 'cancelled', detail: `evaluation ${word(evalJob)}` };
  if (!train && (evalJob.state === 'submitting' || evalJob.state === 'pending'))
    return { state: 'queued', detail: `evaluation ${word(evalJob)}` };
  if (evalJob.state === 'completed')
    return { state: 'evaluating', detail: 'evaluation finished; results not fetched yet' };
  return { state: 'evaluating', detail: `evaluation ${word(evalJob)}` };
};

/** A cell's state from the workspace: its jobs, its run, its export and upload. */
export const cellStatus = (
  ws: Workspace,
  cell: StudyCell,
  rec: CellRecord | undefined,
  jobs: Map<string, JobRecord>,
  scores: Map<string, number>,
  uploaded: Map<string, string> | null,
): CellStatus => {
  const train = rec?.trainJob ? (jobs.get(rec.trainJob) ?? null) : null;
  const evalJob = rec?.evalJob ? (jobs.get(rec.evalJob) ?? null) : null;
  const runId = rec?.runId ?? evalJob?.runId ?? null;
  const exported = cell.export ? exportedFile(ws, cell.export, cell.size) : null;
  const base = {
    ...cell,
    trainJob: train?.id ?? null,
    evalJob: evalJob?.id ?? null,
    runId,
    manifest: exported?.manifest ?? null,
  };
  if (runId && scores.has(runId))
    return { ...base, state: 'done', detail: `run ${runId}`, score: scores.get(runId) ?? null };
  if (runId) return { ...base, state: 'done', detail: `run ${runId} (no pass@1)`, score: null };
  const fromJobs = jobState(train, evalJob);
  if (fromJobs) return { ...base, ...fromJobs, score: null };
  if (exported && uploaded?.has(exported.sha256))
    return { ...base, state: 'uploaded', detail: `uploaded to ${uploaded.get(exported.sha256) ?? ''}`, score: null };
  if (exported) return { ...base, state: 'exported', detail: `${exported.rows} rows in ${exported.file}`, score: null };
  return {
    ...base,
    state: 'planned',
    detail: cell.trains ? 'not exported yet' : 'evaluation only (no training)',
    score: null,
  };
};

/** pass@1 of runs, by id. */
export const runScores = async (engine: Engine, runIds: readonly string[]): Promise<Map<string, number>> => {
  if (runIds.length === 0) return new Map();
  const rows = await engine.all(
    `SELECT run_id, value FROM valley_run_metrics WHERE metric = 'pass@1' AND list_contains(from_json($ids, '["VARCHAR"]'), run_id)`,
    { ids: JSON.stringify(runIds) },
  );
  return new Map(rows.map((r) => [String(r['run_id']), Number(r['value'])]));
};

export const studyStatus = async (ws: Workspace, study: Study): Promise<StudyStatus> => {
  const engine = ws.engine;
  const x = expandStudy(study);
  const records = await cellRecords(engine, study.name);
  const jobs = new Map((await listJobs(engine)).map((j) => [j.id, j]));
  const runIds = [...records.values()]
    .map((r) => r.runId ?? (r.evalJob ? jobs.get(r.evalJob)?.runId : null))
    .filter((r): r is string => !!r);
  const scores = await runScores(engine, runIds);
  const uploaded = study.cluster ? await uploadedFiles(engine, study.cluster) : null;
  const cells = x.cells.map((c) => cellStatus(ws, c, records.get(c.id), jobs, scores, uploaded));
  const counts: Record<string, number> = {};
  for (const c of cells) counts[c.state] = (counts[c.state] ?? 0) + 1;
  return {
    name: study.name,
    conditions: x.conditions.map((c) => ({ ...c, label: conditionLabel(c) })),
    students: study.students,
    seeds: study.seeds,
    cells,
    counts,
  };
};
