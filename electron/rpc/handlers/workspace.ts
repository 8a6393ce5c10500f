import type { Services } from '../../services/services';
import {
  createWorkspace,
  demoWorkspaceDir,
  forgetWorkspace,
  listFolder,
  openDemoWorkspace,
  readRecent,
  switchWorkspace,
} from '../../services/workspace/switch';
import { homedir } from 'node:os';
import type { Handlers } from '../router';

export const workspaceHandlers = (svc: Services) =>
  ({
    'workspace.list': async () => ({
      current: svc.workspace.info(),
      recent: await readRecent(svc.host.appDataDir()),
      demoDir: demoWorkspaceDir(svc.host.appDataDir()),
      home: homedir(),
    }),
    'workspace.open': async ({ dir }) => ({ workspace: await switchWorkspace(svc, dir) }),
    'workspace.create': async ({ dir, name }) => ({ workspace: await createWorkspace(svc, dir, name) }),
    'workspace.openDemo': async () => ({ workspace: await openDemoWorkspace(svc) }),
    'workspace.forget': async ({ dir }) => ({ recent: await forgetWorkspace(svc.host.appDataDir(), dir) }),
    'fs.list': async ({ dir, hidden }) => listFolder(dir, hidden),
  }) satisfies Partial<Handlers>;
