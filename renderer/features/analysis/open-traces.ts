import { emptyFilter } from '../../../shared/api';
import { api } from '../../api/client';
import { useCurate } from '../curate/store';
import { reportError } from '../notices/store';
import { useShell } from '../shell/store';

/**
 * Provenance: show the traces a run trained on in the Curate screen — filtered to the run's partition when Curate
 * knows it (partition "all" = every trace), with the Subsets panel open when the run names its subset.
 */
export const openTracesOf = async (partition: string, subset: string | null): Promise<void> => {
  try {
    const curate = useCurate.getState();
    if (!curate.dataset) {
      const { datasets } = await api().call('data.datasets', {});
      const first = datasets.find((d) => d.kind === 'traces');
      if (first) await curate.open(first.name);
    }
    const c = useCurate.getState();
    const known = c.partitions.some((p) => p.name === partition);
    c.setFilter({ ...emptyFilter(), partition: known ? partition : null });
    if (subset) c.set({ panel: 'subsets' });
    useShell.getState().go('curate');
  } catch (error) {
    reportError(error, 'Could not open the traces of this run');
  }
};
