import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ValleyError, type FileEntry, type RecentWorkspace, type WorkspaceInfo } from '../../../shared/api';
import { followEngine, type Services } from '../services';
import { createDemoWorkspace } from '../demo/demo';
import { META_FILE, isWorkspace, openWorkspace, writeFileAtomic, type Workspace } from './workspace';

/** The built-in demo workspace: in the app data folder, created on first use. */
export const demoWorkspaceDir = (appDataDir: string): string => join(appDataDir, 'demo-workspace');

const RECENT_FILE = 'recent-workspaces.json';
const RECENT_MAX = 12;
const recentSchema = z.array(
  z.object({ dir: z.string(), name: z.string(), isDemo: z.boolean(), openedAt: z.string() }),
);

/** The recently opened workspaces, newest first, as kept in the app data folder (a broken file reads as none). */
export const readRecent = async (appDataDir: string): Promise<RecentWorkspace[]> => {
  let list: z.infer<typeof recentSchema> = [];
  try {
    const parsed = recentSchema.safeParse(JSON.parse(await readFile(join(appDataDir, RECENT_FILE), 'utf8')));
    if (parsed.success) list = parsed.data;
  } catch {
    list = [];
  }
  return list.map((r) => ({ ...r, exists: isWorkspace(r.dir) }));
};

const writeRecent = async (appDataDir: string, list: readonly RecentWorkspace[]): Promise<void> => {
  await mkdir(appDataDir, { recursive: true });
  const plain = list.slice(0, RECENT_MAX).map(({ dir, name, isDemo, openedAt }) => ({ dir, name, isDemo, openedAt }));
  await writeFileAtomic(join(appDataDir, RECENT_FILE), JSON.stringify(plain, null, 2) + '\n');
};

/** Put a workspace at the top of the recent list. */
export const rememberWorkspace = async (appDataDir: string, info: WorkspaceInfo): Promise<RecentWorkspace[]> => {
  const rest = (await readRecent(appDataDir)).filter((r) => r.dir !== info.dir);
  const list = [
    { dir: info.dir, name: info.name, isDemo: info.isDemo, openedAt: new Date().toISOString(), exists: true },
    ...rest,
  ];
  await writeRecent(appDataDir, list);
  return list;
};

export const forgetWorkspace = async (appDataDir: string, dir: string): Promise<RecentWorkspace[]> => {
  const list = (await readRecent(appDataDir)).filter((r) => r.dir !== resolve(dir));
  await writeRecent(appDataDir, list);
  return list;
};

/**
 * Make `next` the open workspace: refused while a task runs (it would write into the old one); the old one is
 * closed only once the new one is open, so a failure leaves Valley where it was. Every client reloads on the event.
 */
const swap = async (svc: Services, open: () => Promise<Workspace>): Promise<WorkspaceInfo> => {
  const running = svc.tasks.list().filter((t) => t.state === 'running');
  if (running.length > 0) {
    throw new ValleyError(
      'conflict',
      `Wait for (or cancel) ${running.map((t) => `"${t.title}"`).join(', ')} before switching workspaces: it writes into this one`,
    );
  }
  const next = await open();
  followEngine(next, svc.bus);
  const old = svc.workspace;
  svc.workspace = next;
  await old.close();
  await rememberWorkspace(svc.host.appDataDir(), next.info()).catch(() => undefined);
  svc.bus.emit('workspace.changed', { what: 'workspace' });
  return next.info();
};

const sameDir = (svc: Services, dir: string) => resolve(dir) === svc.workspace.dir;

export const switchWorkspace = async (svc: Services, dirIn: string): Promise<WorkspaceInfo> => {
  const dir = resolve(dirIn);
  if (sameDir(svc, dir)) return svc.workspace.info();
  if (!existsSync(dir)) throw new ValleyError('not_found', `${dir} does not exist`, { file: dir });
  if (!isWorkspace(dir)) {
    throw new ValleyError(
      'not_found',
      `${dir} is not a Valley workspace (no ${META_FILE}); create a new workspace there instead`,
      { file: dir },
    );
  }
  return swap(svc, () => openWorkspace(dir));
};

/** Refuse a folder a new workspace cannot go into (already one, not empty, no parent), naming it. */
const checkNewWorkspaceDir = (dir: string): void => {
  if (isWorkspace(dir))
    throw new ValleyError('conflict', `${dir} is already a Valley workspace; open it instead`, { file: dir });
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ValleyError('conflict', `${dir} is not empty; a new workspace needs an empty or new folder`, {
      file: dir,
    });
  }
  if (!existsSync(dirname(dir)))
    throw new ValleyError('not_found', `${dirname(dir)} does not exist`, { file: dirname(dir) });
};

/** A new, empty workspace in an empty or new folder, open (the caller closes it or makes it the current one). */
export const newWorkspace = async (dirIn: string, name?: string): Promise<Workspace> => {
  const dir = resolve(dirIn);
  checkNewWorkspaceDir(dir);
  const ws = await openWorkspace(dir, { create: true });
  if (name && name !== basename(dir)) await ws.rename(name);
  return ws;
};

export const createWorkspace = async (svc: Services, dirIn: string, name?: string): Promise<WorkspaceInfo> => {
  checkNewWorkspaceDir(resolve(dirIn));
  return swap(svc, () => newWorkspace(dirIn, name));
};

export const openDemoWorkspace = async (svc: Services): Promise<WorkspaceInfo> => {
  const dir = demoWorkspaceDir(svc.host.appDataDir());
  if (sameDir(svc, dir)) return svc.workspace.info();
  return swap(svc, () => (isWorkspace(dir) ? openWorkspace(dir) : createDemoWorkspace(dir)));
};

const LIST_MAX = 5000;

/** One folder for the file browser: folders first, then files, by name; what cannot be read is skipped, not fatal. */
export const listFolder = async (dirIn: string | undefined, hidden: boolean) => {
  const home = homedir();
  const dir = resolve(dirIn ?? home);
  const info = await stat(dir).catch(() => null);
  if (!info) throw new ValleyError('not_found', `${dir} does not exist`, { file: dir });
  if (!info.isDirectory()) throw new ValleyError('bad_input', `${dir} is a file, not a folder`, { file: dir });
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new ValleyError('forbidden', `${dir} cannot be read: ${(error as Error).message}`, { file: dir });
  }
  const visible = names.filter((n) => hidden || !n.startsWith('.'));
  const entries: FileEntry[] = [];
  for (const name of visible.slice(0, LIST_MAX)) {
    const path = join(dir, name);
    const s = await stat(path).catch(() => null);
    if (!s) continue;
    const isDir = s.isDirectory();
    entries.push({
      name,
      path,
      kind: isDir ? 'dir' : 'file',
      size: isDir ? null : s.size,
      modifiedAt: s.mtime.toISOString(),
      isWorkspace: isDir && existsSync(join(path, META_FILE)),
    });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(dir) === dir ? null : dirname(dir);
  return { dir, parent, home, entries, truncated: visible.length > LIST_MAX };
};
