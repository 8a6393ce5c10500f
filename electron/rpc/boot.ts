import { existsSync, readdirSync } from 'node:fs';
import { ValleyError } from '../../shared/api';
import type { Host } from '../services/host';
import { createServices, type Services } from '../services/services';
import { isWorkspace, openWorkspace, type Workspace } from '../services/workspace/workspace';
import { createDemoWorkspace } from '../services/demo/demo';
import { watchStudies } from '../services/study/watch';
import { demoWorkspaceDir, rememberWorkspace } from '../services/workspace/switch';
import { createHandlers } from './handlers';
import { createRouter, type Router } from './router';

export interface BootOptions {
  readonly host: Host;
  readonly version: string;
  /** The workspace folder; without one, the built-in demo workspace in the app data folder. */
  readonly workspaceDir?: string;
  /** What to do when `workspaceDir` is not a workspace yet: create an empty one, the demo, or refuse. */
  readonly ifMissing?: 'create' | 'demo' | 'refuse';
  readonly onInternalError?: (method: string, error: unknown) => void;
  /** How often running studies are followed (jobs reconciled, finished chains imported); default 15 s or $VALLEY_STUDY_POLL_MS. */
  readonly studyPollMs?: number;
}

export interface Backend {
  readonly services: Services;
  readonly router: Router;
  close(): Promise<void>;
}

export const defaultWorkspaceDir = (host: Host): string => demoWorkspaceDir(host.appDataDir());

const isEmptyOrMissing = (dir: string): boolean => !existsSync(dir) || readdirSync(dir).length === 0;

const openOrCreate = async (dir: string, ifMissing: BootOptions['ifMissing']): Promise<Workspace> => {
  if (isWorkspace(dir)) return openWorkspace(dir);
  if (ifMissing === 'refuse') {
    throw new ValleyError(
      'not_found',
      `${dir} is not a Valley workspace; create one with \`valley demo --workspace ${dir}\``,
      {
        file: dir,
      },
    );
  }
  if (!isEmptyOrMissing(dir)) {
    throw new ValleyError('conflict', `${dir} is not empty and not a Valley workspace; choose an empty folder`, {
      file: dir,
    });
  }
  return ifMissing === 'demo' ? createDemoWorkspace(dir) : openWorkspace(dir, { create: true });
};

/** Open a workspace and wire services, handlers and the router: what every adapter (IPC, HTTP, CLI) starts with. */
export const bootBackend = async (options: BootOptions): Promise<Backend> => {
  const dir = options.workspaceDir ?? defaultWorkspaceDir(options.host);
  const ifMissing = options.ifMissing ?? (options.workspaceDir ? 'create' : 'demo');
  const workspace = await openOrCreate(dir, ifMissing);
  const services = createServices(workspace, options.host, options.version);
  await rememberWorkspace(options.host.appDataDir(), workspace.info()).catch(() => undefined);
  // Some handler factories bind the workspace's engine once: after a switch, bind a fresh set to the new workspace.
  const bind = () => createRouter(createHandlers(services), { onInternalError: options.onInternalError });
  let current = bind();
  services.bus.subscribe((name, payload) => {
    if (name === 'workspace.changed' && (payload as { what: string }).what === 'workspace') current = bind();
  });
  const router: Router = { handle: (method, request, ctx) => current.handle(method, request, ctx) };
  const watcher = watchStudies(
    services,
    options.studyPollMs ?? (Number(process.env['VALLEY_STUDY_POLL_MS']) || 15_000),
  );
  return {
    services,
    router,
    close: async () => {
      await watcher.stop();
      await services.workspace.close();
    },
  };
};
