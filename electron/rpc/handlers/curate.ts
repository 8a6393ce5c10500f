import type { Services } from '../../services/services';
import {
  deletePartition,
  getPartition,
  listMarks,
  listPartitions,
  partitionStats,
  renamePartition,
  savePartition,
  setMarks,
} from '../../services/curate/partitions';
import { presetPartitions } from '../../services/curate/partition-presets';
import { historyOf, redo, undo } from '../../services/curate/history';
import { planSubset } from '../../services/curate/plan';
import { subsetIds } from '../../services/curate/sampler';
import { deleteSubset, getSubset, listSubsets, saveSubset } from '../../services/curate/subsets';
import { startExport } from '../../services/curate/export';
import { readManifest } from '../../services/curate/manifest';
import { checkContamination } from '../../services/curate/contamination';
import { excludeContaminated } from '../../services/curate/decontaminate';
import { getUiState, setUiState } from '../../services/curate/ui-state';
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
    'curate.partitions.presets': async (req) =>
      changed('partitions', { partitions: await presetPartitions(engine, req) }),
    'curate.partitions.stats': async ({ names }) => ({ stats: await partitionStats(engine, names) }),
    'curate.marks.set': async ({ partition, rowIds, mark }) =>
      changed('partitions', await setMarks(engine, partition, rowIds, mark)),
    'curate.marks.list': async ({ partition }) => {
      await getPartition(engine, partition);
      return listMarks(engine, partition);
    },
    'curate.subsets.plan': async (spec) => planSubset(engine, spec),
    'curate.subsets.save': async ({ name, spec, replace }) =>
      changed('subsets', await saveSubset(engine, name, spec, replace)),
    'curate.subsets.list': async () => ({ subsets: await listSubsets(engine) }),
    'curate.subsets.delete': async ({ name }) => {
      await deleteSubset(engine, name);
      return changed('subsets', { ok: true as const });
    },
    'curate.subsets.ids': async ({ name, size }) => {
      const subset = await getSubset(engine, name);
      return { rowIds: await subsetIds(engine, subset.spec, size) };
    },
    'curate.export': async (req) => startExport(svc, req),
    'curate.manifest': async ({ dir }) => readManifest(dir),
    'curate.contamination.check': async (req) => {
      const started = performance.now();
      const r = await checkContamination(engine, req);
      return { ...r, elapsedMs: Math.round(performance.now() - started) };
    },
    'curate.contamination.exclude': async (req) => changed('partitions', await excludeContaminated(engine, req)),
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
