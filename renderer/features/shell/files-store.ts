import { create } from 'zustand';
import type { FileEntry } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

export interface PickOptions {
  title: string;
  /** Pick folders (true) or files (false). */
  directory: boolean;
  multiple?: boolean;
  /** Where to start; the user's home by default. */
  start?: string;
}

interface FilesState {
  /** The browser-mode file browser, while it is open. */
  options: PickOptions | null;
  dir: string;
  parent: string | null;
  home: string;
  entries: FileEntry[];
  truncated: boolean;
  hidden: boolean;
  selected: string[];
  loading: boolean;
  error: string | null;
  /**
   * Ask the user for files or folders: the native dialog in the desktop app (through the host), the backend's
   * file browser in browser mode. Null when cancelled.
   */
  pick(options: PickOptions): Promise<string[] | null>;
  go(dir?: string): Promise<void>;
  toggle(path: string): void;
  setHidden(hidden: boolean): Promise<void>;
  finish(paths: string[] | null): void;
}

let settle: ((paths: string[] | null) => void) | null = null;

export const useFiles = create<FilesState>((set, get) => ({
  options: null,
  dir: '',
  parent: null,
  home: '',
  entries: [],
  truncated: false,
  hidden: false,
  selected: [],
  loading: false,
  error: null,
  async pick(options) {
    if (api().transport === 'ipc') {
      try {
        const r = await api().call('data.pickPaths', { directory: options.directory, title: options.title });
        if (r.available) return r.paths.length > 0 ? r.paths : null;
      } catch (error) {
        reportError(error, 'Could not open the file dialog');
        return null;
      }
    }
    settle?.(null);
    set({ options, selected: [], error: null });
    await get().go(options.start);
    return new Promise((resolve) => {
      settle = resolve;
    });
  },
  async go(dir) {
    set({ loading: true, error: null });
    try {
      const r = await api().call('fs.list', { dir, hidden: get().hidden });
      set({ dir: r.dir, parent: r.parent, home: r.home, entries: r.entries, truncated: r.truncated, loading: false });
    } catch (error) {
      set({ loading: false, error: error instanceof Error ? error.message : String(error) });
    }
  },
  toggle(path) {
    const { options, selected } = get();
    if (!options?.multiple) set({ selected: selected[0] === path ? [] : [path] });
    else set({ selected: selected.includes(path) ? selected.filter((p) => p !== path) : [...selected, path] });
  },
  async setHidden(hidden) {
    set({ hidden });
    await get().go(get().dir);
  },
  finish(paths) {
    set({ options: null });
    const s = settle;
    settle = null;
    s?.(paths && paths.length > 0 ? paths : null);
  },
}));
