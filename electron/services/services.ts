import type { Host } from './host';
import type { Workspace } from './workspace/workspace';
import { createEventBus, type EventBus } from './events';
import { createTaskManager, type TaskManager } from './tasks/task-manager';
import { searchIndexFor } from './traces/search-index';

/** What every feature's service code gets: the open workspace, the event bus, background tasks, the host. */
export interface Services {
  /** The open workspace; replaced when the user switches (electron/services/workspace/switch.ts). */
  workspace: Workspace;
  readonly bus: EventBus;
  readonly tasks: TaskManager;
  readonly host: Host;
  readonly version: string;
}

/**
 * What a workspace's engine tells every client: it restarted after a crash, a word index is ready. Called for the
 * workspace opened at start and for each one switched to (workspace/switch.ts).
 */
export const followEngine = (workspace: Workspace, bus: EventBus): void => {
  workspace.engine.onRestart((r) =>
    bus.emit('engine.restarted', { cause: r.cause, running: [...r.running], file: r.file }),
  );
  searchIndexFor(workspace.engine).onBuilt(() => bus.emit('workspace.changed', { what: 'indexes' }));
};

export const createServices = (workspace: Workspace, host: Host, version: string): Services => {
  const bus = createEventBus();
  followEngine(workspace, bus);
  return { workspace, bus, tasks: createTaskManager(bus), host, version };
};
