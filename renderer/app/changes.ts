import { api } from '../api/client';
import { useAnalysis } from '../features/analysis/store';
import { useCluster } from '../features/cluster/store';
import { useCurate } from '../features/curate/store';
import { useData } from '../features/data/store';
import { useRuns } from '../features/runs/store';
import { useProblems } from '../features/runs/problems-store';

/**
 * The backend's `workspace.changed` event is the one trigger for refetching: a mutation returns its result
 * (or a task id the store follows), and every store that shows what changed reloads here — once, whoever made
 * the change (this window, another one, the CLI). Stores that were never loaded stay unloaded.
 */
export const followWorkspaceChanges = (): (() => void) =>
  api().on('workspace.changed', ({ what }) => {
    switch (what) {
      case 'workspace':
        // another workspace is open: every store holds the old one's state, so start again on the new one
        window.location.reload();
        break;
      case 'datasets':
        if (useData.getState().loaded) void useData.getState().load();
        break;
      case 'runs':
        if (useRuns.getState().loaded) void useRuns.getState().load();
        if (useAnalysis.getState().loaded) void useAnalysis.getState().load();
        void useProblems.getState().refresh();
        break;
      case 'partitions':
        if (useCurate.getState().dataset) useCurate.getState().changed();
        break;
      case 'indexes':
        // "indexing" goes away (a search then reads the index instead of scanning)
        if (useCurate.getState().dataset && useCurate.getState().searchIndex === 'building')
          void useCurate.getState().refreshFacets();
        break;
      case 'subsets':
        if (useCurate.getState().dataset) void useCurate.getState().loadSubsets();
        break;
      case 'studies':
        if (useAnalysis.getState().loaded) void useAnalysis.getState().loadStudies();
        break;
      case 'clusters':
        if (useCluster.getState().loaded) void useCluster.getState().load();
        break;
      default:
        break;
    }
  });
