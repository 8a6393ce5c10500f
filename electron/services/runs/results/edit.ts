import { ValleyError, type Run } from '../../../../shared/api';
import type { Engine } from '../../engine/engine';
import { listRuns } from '../store';
import { deleteRunRows } from './import-results';

const intLabel = (key: string, v: string | null | undefined): number | null | undefined => {
  if (v === undefined) return undefined;
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n))
    throw new ValleyError('invalid_request', `Label ${key} must be a whole number, not "${v}"`, {
      field: `labels.${key}`,
    });
  return n;
};

/**
 * Edit a run's name and labels. `student`, `size`, `partition` and `seed` are labels that also have
 * their own columns (analysis groups by them), so setting them updates both; null removes a label.
 */
export const updateRun = async (
  engine: Engine,
  id: string,
  patch: { name?: string; labels: Record<string, string | null> },
): Promise<Run> => {
  const before = (await listRuns(engine)).find((r) => r.id === id);
  if (!before) throw new ValleyError('not_found', `No run with id ${id}`, { field: 'id' });
  const labels: Record<string, string> = { ...before.labels };
  for (const [k, v] of Object.entries(patch.labels)) {
    if (v === null) delete labels[k];
    else labels[k] = v;
  }
  const size = intLabel('size', patch.labels['size']);
  const seed = intLabel('seed', patch.labels['seed']);
  const student = patch.labels['student'];
  const partition = patch.labels['partition'];
  await engine.run(
    `UPDATE valley_runs SET name = $name, labels = $labels, student = $student, size = $size, partition = $partition, seed = $seed
     WHERE id = $id`,
    {
      id,
      name: patch.name ?? before.name,
      labels: JSON.stringify(labels),
      student: student === undefined ? before.student : (student ?? 'unknown'),
      size: size === undefined ? before.size : size,
      partition: partition === undefined ? before.partition : (partition ?? 'all'),
      seed: seed === undefined ? before.seed : seed,
    },
  );
  const after = (await listRuns(engine)).find((r) => r.id === id);
  if (!after) throw new ValleyError('internal', `Run ${id} vanished while being edited`);
  return after;
};

export const runCurve = async (engine: Engine, id: string, metric?: string) => {
  const rows = await engine.all(
    `SELECT step, metric, value FROM valley_run_curves WHERE run_id = $id AND ($m IS NULL OR metric = $m) ORDER BY step, metric`,
    { id, m: metric ?? null },
  );
  return rows.map((r) => ({ step: Number(r['step']), metric: String(r['metric']), value: Number(r['value']) }));
};

export const deleteRun = async (engine: Engine, id: string): Promise<boolean> => {
  const found = await engine.all('SELECT id FROM valley_runs WHERE id = $id', { id });
  if (found.length === 0) return false;
  await engine.transaction((s) => deleteRunRows(s, id));
  return true;
};
