import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ValleyError, methods, type ParsedRequestOf, type RecentWorkspace, type WorkspaceInfo } from '../../shared/api';
import type { Host } from '../services/host';
import { isWorkspace, openWorkspace, readWorkspaceInfo } from '../services/workspace/workspace';
import {
  demoWorkspaceDir,
  forgetWorkspace,
  newWorkspace,
  readRecent,
  rememberWorkspace,
} from '../services/workspace/switch';

/**
 * What an adapter can do with workspaces before (or without) opening one: boot.ts opens a workspace, this chooses
 * which. The recent list is the file the app's Workspaces dialog reads and writes (recent-workspaces.json in the app
 * data folder), so what the CLI creates or opens, the app lists, and the other way round. Requests are checked with
 * the contract's schemas, as the router checks them.
 */
export interface Launcher {
  /** The recently opened workspaces, newest first, and where the demo lives. */
  recent(): Promise<{ recent: RecentWorkspace[]; demoDir: string; demoExists: boolean }>;
  /** A new, empty workspace in an empty or new folder, put first in the recent list. */
  create(dir: string, name?: string): Promise<WorkspaceInfo>;
  /**
   * Open a workspace (its database and migrations) and close it again, then put it first in the recent list. One that
   * another Valley process holds open is `inUse` (what its workspace.json says), still put first.
   */
  open(dir: string): Promise<{ workspace: WorkspaceInfo; inUse: boolean }>;
  /** What a workspace folder's workspace.json says (no database opened). */
  info(dir: string): Promise<WorkspaceInfo>;
  /** Take a folder off the recent list (the folder is untouched). */
  forget(dir: string): Promise<RecentWorkspace[]>;
}

const checked = <M extends 'workspace.create' | 'workspace.open' | 'workspace.forget'>(
  method: M,
  request: unknown,
): ParsedRequestOf<M> => {
  const parsed = methods[method].request.safeParse(request);
  if (parsed.success) return parsed.data as ParsedRequestOf<M>;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(request)',
    message: i.message,
  }));
  const first = issues[0];
  throw new ValleyError('invalid_request', first ? `${first.path}: ${first.message}` : 'malformed request', {
    issues,
    field: first?.path,
  });
};

export const createLauncher = (host: Host): Launcher => {
  const appData = () => host.appDataDir();
  return {
    async recent() {
      const demoDir = demoWorkspaceDir(appData());
      return { recent: await readRecent(appData()), demoDir, demoExists: isWorkspace(demoDir) };
    },
    async create(dirIn, nameIn) {
      const { dir, name } = checked('workspace.create', { dir: dirIn, name: nameIn });
      const ws = await newWorkspace(dir, name);
      const info = ws.info();
      await ws.close();
      await rememberWorkspace(appData(), info);
      return info;
    },
    async open(dirIn) {
      const dir = resolve(checked('workspace.open', { dir: dirIn }).dir);
      if (!existsSync(dir)) throw new ValleyError('not_found', `${dir} does not exist`, { file: dir });
      if (!isWorkspace(dir)) {
        throw new ValleyError('not_found', `${dir} is not a Valley workspace; create a new workspace there instead`, {
          file: dir,
        });
      }
      let workspace: WorkspaceInfo;
      let inUse = false;
      try {
        const ws = await openWorkspace(dir);
        workspace = ws.info();
        await ws.close();
      } catch (error) {
        if (!(error instanceof ValleyError && error.code === 'conflict')) throw error;
        inUse = true;
        workspace = await readWorkspaceInfo(dir);
      }
      await rememberWorkspace(appData(), workspace);
      return { workspace, inUse };
    },
    info: (dir) => readWorkspaceInfo(dir),
    forget: async (dir) => forgetWorkspace(appData(), checked('workspace.forget', { dir }).dir),
  };
};
