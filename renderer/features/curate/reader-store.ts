import { create } from 'zustand';

/** The trace reader's view state (not saved with the screen): full width or beside the table, and folding. */
interface ReaderState {
  /** The trace viewer takes the whole width (the table is hidden). */
  wide: boolean;
  /** Reasoning paragraphs folded to their first line (f toggles). */
  folded: boolean;
  /** Paragraphs the user opened or closed by hand, keyed "row:index": true = open. */
  manual: Record<string, boolean>;
  setWide(wide: boolean): void;
  toggleFolded(): void;
  toggleParagraph(key: string, open: boolean): void;
}

export const useReader = create<ReaderState>((set) => ({
  wide: false,
  folded: true,
  manual: {},
  setWide: (wide) => set({ wide }),
  toggleFolded: () => set((s) => ({ folded: !s.folded, manual: {} })),
  toggleParagraph: (key, open) => set((s) => ({ manual: { ...s.manual, [key]: open } })),
}));
