import type { Host } from './host';
import type { Workspace } from './workspace/workspace';
import { createEventBus, type EventBus } from './events';
import { createTaskManager, type TaskManager } from './tasks/task-manager';

/** What every feature's service code gets: the open workspace, the event bus, background tasks, the host. */
export interface Services {
  /** The open workspace; replaced when the user switches (electron/services/workspace/switch.ts). */
  workspace: Workspace;
  readonly bus: EventBus;
  readonly tasks: TaskManager;
  readonly host: Host;
  readonly version: string;
}

export const createServices = (workspace: Workspace, host: Host, version: string): Services => {
  const bus = createEventBus();
  workspace.engine.onRestart((r) =>
    bus.emit('engine.restarted', { cause: r.cause, running: [...r.running], file: r.file }),
  );
  return { workspace, bus, tasks: createTaskManager(bus), host, version };
};
