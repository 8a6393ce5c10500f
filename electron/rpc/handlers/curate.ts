import { ValleyError } from '../../../shared/api';
import type { Services } from '../../services/services';
import {
  deletePartition,
  getPartition,
  listMarks,
  listPartitions,
  renamePartition,
  savePartition,
  setMarks,
} from '../../services/curate/partitions';
import { presetPartitions } from '../../services/curate/partition-presets';
import { historyOf, recordEdit, redo, undo, type Op } from '../../services/curate/history';
import { planSubset, subsetIds } from '../../services/curate/sampler';
import { deleteSubset, getSubset, listSubsets, saveSubset } from '../../services/curate/subsets';
import { checkExportTarget, exportDir, runExport } from '../../services/curate/export';
import { checkContamination, contaminatedRowIds } from '../../services/curate/contamination';
import { getUiState, setUiState } from '../../services/curate/ui-state';
import { facetsOf } from '../../services/traces/facets';
import { traceDataset } from '../../services/traces/filter-sql';
import { traceCount } from '../../services/traces/query';
import type { Handlers } from '../router';

export const curateHandlers = (svc: Services) => {
  const engine = svc.workspace.engine;
  const changed = <T>(what: 'partitions' | 'subsets', value: T): T => {
    svc.bus.emit('workspace.changed', { what });
    return value;
  };
  return {
    'curate.partitions.list': async ({ dataset }) => ({ partitions: await listPartitions(engine, dataset) }),
    'curate.partitions.save': async (req) => changed('partitions', await savePartition(engine, req)),
    'curate.partitions.rename': async ({ name, to }) => changed('partitions', await renamePartition(engine, name, to)),
    'curate.partitions.delete': async ({ name }) => {
      await deletePartition(engine, name);
      return changed('partitions', { ok: true as const });
    },
    'curate.partitions.presets': async (req) => changed('partitions', { partitions: await presetPartitions(engine, req) }),
    'curate.partitions.stats': async ({ names }) => ({
      stats: await Promise.all(
        names.map(async (name) => {
          const p = await getPartition(engine, name);
          const d = await traceDataset(engine, p.dataset);
          const f = await facetsOf(engine, d, { clauses: [], search: '', partition: name });
          return { name, size: f.total, facets: f.facets };
        }),
      ),
    }),
    'curate.marks.set': async ({ partition, rowIds, mark }) => changed('partitions', await setMarks(engine, partition, rowIds, mark)),
    'curate.marks.list': async ({ partition }) => {
      await getPartition(engine, partition);
      return listMarks(engine, partition);
    },
    'curate.subsets.plan': async (spec) => planSubset(engine, spec),
    'curate.subsets.save': async ({ name, spec, replace }) => changed('subsets', await saveSubset(engine, name, spec, replace)),
    'curate.subsets.list': async () => ({ subsets: await listSubsets(engine) }),
    'curate.subsets.delete': async ({ name }) => {
      await deleteSubset(engine, name);
      return changed('subsets', { ok: true as const });
    },
    'curate.subsets.ids': async ({ name, size }) => {
      const subset = await getSubset(engine, name);
      return { rowIds: await subsetIds(engine, subset.spec, size) };
    },
    'curate.export': async (req) => {
      const subset = await getSubset(engine, req.subset);
      const sizes = [...new Set(req.sizes ?? subset.spec.sizes)].sort((a, b) => a - b);
      const unknown = sizes.filter((x) => !subset.spec.sizes.includes(x));
      if (unknown.length) {
        throw new ValleyError('bad_input', `Subset "${subset.name}" has sizes ${subset.spec.sizes.join(', ')}, not ${unknown.join(', ')}`, {
          field: 'sizes',
        });
      }
      const dir = exportDir(svc.workspace.dir, subset.name, req.outDir);
      checkExportTarget(dir, req.overwrite);
      const job = { subset, sizes, formats: [...new Set(req.formats)], dir, overwrite: req.overwrite, version: svc.version };
      const { task, done } = svc.tasks.start('export', `Export ${subset.name} (${sizes.join(', ')})`, (ctx) => runExport(engine, job, ctx));
      if (!req.wait) return { task, dir, manifest: null };
      const manifest = await done;
      return { task: svc.tasks.list().find((t) => t.id === task.id) ?? task, dir, manifest };
    },
    'curate.contamination.check': async (req) => {
      const started = performance.now();
      const r = await checkContamination(engine, req);
      return { ...r, elapsedMs: Math.round(performance.now() - started) };
    },
    'curate.contamination.exclude': async (req) => {
      const d = await traceDataset(engine, req.dataset);
      const ids = await contaminatedRowIds(engine, req);
      const exists = (await listPartitions(engine, d.name)).some((p) => p.name === req.target);
      if (!exists) {
        // one undoable step: the new partition (all rows) and its exclude marks
        const row = { dataset: d.name, filter: { clauses: [], search: '', partition: null }, matchAll: true, description: `decontaminated against ${req.benchmark}`, createdAt: new Date().toISOString() };
        const redoOps: Op[] = [{ t: 'partition', name: req.target, row }, { t: 'marks', partition: req.target, changes: ids.map((id) => [id, 'exclude'] as const) }];
        await recordEdit(engine, `exclude ${ids.length} contaminated rows`, redoOps, [{ t: 'partition', name: req.target, row: null }]);
        const { total } = await traceCount(engine, d.name, { clauses: [], search: '', partition: req.target });
        return changed('partitions', { excluded: ids.length, size: total });
      }
      const r = ids.length ? await setMarks(engine, req.target, ids, 'exclude', `exclude contaminated rows from ${req.target}`) : { changed: 0, size: (await getPartition(engine, req.target)).size };
      return changed('partitions', { excluded: r.changed, size: r.size });
    },
    'curate.history': async () => historyOf(engine),
    'curate.undo': async () => changed('partitions', await undo(engine)),
    'curate.redo': async () => changed('partitions', await redo(engine)),
    'curate.ui.get': async ({ key }) => ({ value: await getUiState(engine, key) }),
    'curate.ui.set': async ({ key, value }) => {
      await setUiState(engine, key, value);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers>;
};
