import { api } from '../api/client';
import { useRuns } from '../features/runs/store';
import { useProblems } from '../features/runs/problems-store';

/**
 * The backend's `workspace.changed` event is the one trigger for refetching: a mutation returns its result
 * (or a task id), and every store that shows what changed reloads here — once, whoever made the change
 * (this window, another one, the CLI). Stores that were never loaded stay unloaded.
 */
export const followWorkspaceChanges = (): (() => void) =>
  api().on('workspace.changed', ({ what }) => {
    // another workspace is open: every store holds the old one's state, so start again on the new one
    if (what === 'workspace') window.location.reload();
    if (what === 'runs' && useRuns.getState().loaded) void useRuns.getState().load();
    if (what === 'runs') void useProblems.getState().refresh();
  });
