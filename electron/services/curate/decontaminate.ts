import type { Engine } from '../engine/engine';
import { traceDataset } from '../traces/filter-sql';
import { traceCount } from '../traces/query';
import { contaminatedRowIds, type ContaminationRequest } from './contamination';
import { recordEdit, type Op } from './history';
import { getPartition, listPartitions, setMarks } from './partitions';

/**
 * Mark every trace of the flagged questions `exclude` in `target`, as one undoable step. A missing target is
 * created as "all rows" in the same step, so undo removes both the partition and its marks.
 */
export const excludeContaminated = async (
  engine: Engine,
  req: ContaminationRequest & { target: string },
): Promise<{ excluded: number; size: number }> => {
  const d = await traceDataset(engine, req.dataset);
  const ids = await contaminatedRowIds(engine, req);
  const exists = (await listPartitions(engine, d.name)).some((p) => p.name === req.target);
  if (!exists) {
    const row = {
      dataset: d.name,
      filter: { clauses: [], search: '', partition: null },
      matchAll: true,
      description: `decontaminated against ${req.benchmark}`,
      createdAt: new Date().toISOString(),
    };
    const redoOps: Op[] = [
      { t: 'partition', name: req.target, row },
      { t: 'marks', partition: req.target, changes: ids.map((id) => [id, 'exclude'] as const) },
    ];
    await recordEdit(engine, `exclude ${ids.length} contaminated rows`, redoOps, [
      { t: 'partition', name: req.target, row: null },
    ]);
    const { total } = await traceCount(engine, d.name, { clauses: [], search: '', partition: req.target });
    return { excluded: ids.length, size: total };
  }
  if (!ids.length) return { excluded: 0, size: (await getPartition(engine, req.target)).size };
  const r = await setMarks(engine, req.target, ids, 'exclude', `exclude contaminated rows from ${req.target}`);
  return { excluded: r.changed, size: r.size };
};
