import { create } from 'zustand';
import {
  toErrorValue,
  traceRoles,
  type ApiErrorValue,
  type ImportResult,
  type SourcePreview,
  type Task,
  type TraceRole,
  type Unwrap,
} from '../../../shared/api';
import type { PresetName } from '../../../shared/domain/presets';
import { api } from '../../api/client';
import { useFiles } from '../shell/files-store';

export type Storage = 'auto' | 'table' | 'view';

/** The import dialog: paths → preview → mapping → a running task → its result. */
interface ImportState {
  pathsText: string;
  preset: PresetName;
  preview: SourcePreview | null;
  roles: Record<TraceRole, string | null>;
  /** How a list-valued question/response column becomes text; without a choice the import refuses it. */
  unwrap: Partial<Record<'question' | 'response', Unwrap>>;
  name: string;
  storage: Storage;
  skipBadLines: boolean;
  tokenizer: string;
  busy: boolean;
  error: ApiErrorValue | null;
  task: Task | null;
  result: ImportResult | null;
  set(patch: Partial<ImportState>): void;
  setRole(role: TraceRole, column: string | null): void;
  paths(): string[];
  browse(directory: boolean): Promise<void>;
  runPreview(preset?: PresetName): Promise<void>;
  /** After a preview failed on a bad line: turn on "skip bad lines" and preview past it. */
  previewSkippingBadLines(): Promise<void>;
  start(): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
  /** Follow the import task by its id (call once while the dialog is open). */
  follow(): () => void;
}

const emptyRoles = () => Object.fromEntries(traceRoles.map((r) => [r, null])) as Record<TraceRole, string | null>;

const initial = {
  pathsText: '',
  preset: 'auto' as PresetName,
  preview: null,
  roles: emptyRoles(),
  unwrap: {},
  name: '',
  storage: 'auto' as Storage,
  skipBadLines: false,
  tokenizer: '',
  busy: false,
  error: null,
  task: null,
  result: null,
};

export const useImport = create<ImportState>((set, get) => ({
  ...initial,
  set(patch) {
    set(patch);
  },
  setRole(role, column) {
    set((s) => ({ roles: { ...s.roles, [role]: column } }));
  },
  paths() {
    return get()
      .pathsText.split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
  },
  async browse(directory) {
    try {
      const paths = await useFiles.getState().pick({
        title: directory ? 'Choose a folder of trace files' : 'Choose trace files',
        directory,
        multiple: !directory,
      });
      if (paths) set({ pathsText: paths.join('\n'), preview: null });
    } catch (e) {
      set({ error: toErrorValue(e) });
    }
  },
  async runPreview(preset) {
    const paths = get().paths();
    if (paths.length === 0) return;
    set({ busy: true, error: null, ...(preset ? { preset } : {}) });
    try {
      const preview = await api().call('data.preview', {
        paths,
        preset: preset ?? get().preset,
        rows: 5,
        skipBadLines: get().skipBadLines,
      });
      set({
        preview,
        roles: { ...emptyRoles(), ...preview.roles },
        unwrap: {},
        name: get().name || preview.suggestedName,
      });
    } catch (e) {
      set({ error: toErrorValue(e), preview: null });
    } finally {
      set({ busy: false });
    }
  },
  async previewSkippingBadLines() {
    set({ skipBadLines: true });
    await get().runPreview();
  },
  async start() {
    const s = get();
    set({ busy: true, error: null, result: null });
    try {
      const { task } = await api().call('data.import', {
        paths: s.paths(),
        name: s.name.trim() || undefined,
        preset: s.preset,
        roles: s.roles,
        unwrap: s.unwrap,
        storage: s.storage,
        skipBadLines: s.skipBadLines,
        tokenizer: s.tokenizer.trim() || undefined,
      });
      set({ task });
    } catch (e) {
      set({ error: toErrorValue(e), busy: false });
    }
  },
  async cancel() {
    const task = get().task;
    if (task)
      await api()
        .call('tasks.cancel', { id: task.id })
        .catch(() => undefined);
  },
  reset() {
    set({ ...initial, roles: emptyRoles() });
  },
  follow() {
    return api().on('task.updated', (task) => {
      if (task.id !== get().task?.id) return;
      set({ task });
      if (task.state === 'running') return;
      set({ busy: false, error: task.state === 'done' ? null : task.error });
    });
  },
}));
