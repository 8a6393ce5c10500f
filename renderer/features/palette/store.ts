import { create } from 'zustand';

/** Something the command palette (Ctrl/Cmd+K) can run. Features register theirs while mounted. */
export interface PaletteCommand {
  id: string;
  title: string;
  group: string;
  /** Shown beside the title, e.g. "Ctrl+1". */
  shortcut?: string;
  run(): void;
}

interface PaletteState {
  open: boolean;
  commands: Record<string, PaletteCommand>;
  setOpen(open: boolean): void;
  register(commands: PaletteCommand[]): () => void;
}

export const usePalette = create<PaletteState>((set) => ({
  open: false,
  commands: {},
  setOpen: (open) => set({ open }),
  register(commands) {
    set((s) => ({ commands: { ...s.commands, ...Object.fromEntries(commands.map((c) => [c.id, c])) } }));
    return () =>
      set((s) => {
        const rest = { ...s.commands };
        for (const c of commands) delete rest[c.id];
        return { commands: rest };
      });
  },
}));
