import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';
import { useFiles } from './files-store';

type WorkspaceList = ResponseOf<'workspace.list'>;

interface WorkspaceState {
  list: WorkspaceList | null;
  /** The workspace manager dialog: closed, the list, or the new-workspace form. */
  dialog: null | 'manage' | 'create';
  /** The new workspace's folder (typed or picked) and name. */
  newDir: string;
  newName: string;
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  show(dialog: null | 'manage' | 'create'): void;
  set(patch: Partial<Pick<WorkspaceState, 'newDir' | 'newName'>>): void;
  open(dir: string): Promise<void>;
  /** Pick a workspace folder (native dialog or the file browser) and open it. */
  browseAndOpen(): Promise<void>;
  /** Pick the parent folder of a new workspace. */
  browseForNew(): Promise<void>;
  create(): Promise<void>;
  openDemo(): Promise<void>;
  forget(dir: string): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const useWorkspaces = create<WorkspaceState>((set, get) => {
  /** Switch with `call`; workspace.changed (app/changes.ts) then reloads every window, this one included. */
  const switching = async (call: () => Promise<unknown>) => {
    set({ busy: true, error: null });
    try {
      await call();
    } catch (error) {
      set({ error: message(error) });
      if (!get().dialog) reportError(error, 'Could not switch workspaces');
    } finally {
      set({ busy: false });
    }
  };
  return {
    list: null,
    dialog: null,
    newDir: '',
    newName: '',
    busy: false,
    error: null,
    async load() {
      try {
        set({ list: await api().call('workspace.list', {}) });
      } catch (error) {
        reportError(error, 'Could not list workspaces');
      }
    },
    show(dialog) {
      set({ dialog, error: null });
      if (dialog) void get().load();
    },
    set: (patch) => set(patch),
    open: (dir) => switching(() => api().call('workspace.open', { dir })),
    async browseAndOpen() {
      const paths = await useFiles
        .getState()
        .pick({ title: 'Open a workspace folder', directory: true, start: get().list?.home });
      if (paths?.[0]) await get().open(paths[0]);
    },
    async browseForNew() {
      const paths = await useFiles
        .getState()
        .pick({ title: 'Where the new workspace goes', directory: true, start: get().list?.home });
      if (!paths?.[0]) return;
      const name = get().newName.trim() || 'valley-workspace';
      const slug = name.replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'valley-workspace';
      set({ newDir: `${paths[0].replace(/\/+$/, '')}/${slug}` });
    },
    create() {
      const { newDir, newName } = get();
      return switching(() =>
        api().call('workspace.create', { dir: newDir.trim(), ...(newName.trim() ? { name: newName.trim() } : {}) }),
      );
    },
    openDemo: () => switching(() => api().call('workspace.openDemo', {})),
    async forget(dir) {
      try {
        const { recent } = await api().call('workspace.forget', { dir });
        const list = get().list;
        if (list) set({ list: { ...list, recent } });
      } catch (error) {
        reportError(error, 'Could not forget the workspace');
      }
    },
  };
});
