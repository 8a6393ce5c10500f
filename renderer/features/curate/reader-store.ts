import { create } from 'zustand';
import { routeUrl } from '../../api/transport';
import { reportError } from '../notices/store';
import { useCurate } from './store';
import { readerHash, type ReaderRoute } from './reader-route';

/** The trace reader's view state (not saved with the screen): full width or beside the table, and folding. */
interface ReaderState {
  /** The trace viewer takes the whole width (the table is hidden). */
  wide: boolean;
  /** Reasoning paragraphs folded to their first line (f toggles). */
  folded: boolean;
  /** Paragraphs the user opened or closed by hand, keyed "row:index": true = open. */
  manual: Record<string, boolean>;
  /** This window is a detached reader: always full width, no table to go back to. */
  detached: boolean;
  setWide(wide: boolean): void;
  toggleFolded(): void;
  toggleParagraph(key: string, open: boolean): void;
  /** Open the open trace in a window of its own (w). */
  openWindow(): void;
  /** Be the detached reader of `route`: the dataset's saved view (filter, sort: next/previous follow the table). */
  startDetached(route: ReaderRoute): Promise<void>;
}

export const useReader = create<ReaderState>((set, get) => ({
  wide: false,
  folded: true,
  manual: {},
  detached: false,
  setWide: (wide) => !get().detached && set({ wide }),
  toggleFolded: () => set((s) => ({ folded: !s.folded, manual: {} })),
  toggleParagraph: (key, open) => set((s) => ({ manual: { ...s.manual, [key]: open } })),
  openWindow() {
    const { dataset, openRow, openIndex } = useCurate.getState();
    if (!dataset || openRow === null) return;
    const url = routeUrl(readerHash({ dataset, row: openRow, index: openIndex ?? 0 }));
    const opened = window.open(url, '_blank', 'popup,width=1100,height=900');
    if (!opened) reportError(new Error('The browser blocked the new window; allow pop-ups for Valley'), 'No window');
  },
  async startDetached(route) {
    set({ detached: true, wide: true });
    useCurate.setState({ detached: true });
    await useCurate.getState().open(route.dataset);
    useCurate.setState({ openRow: route.row, openIndex: route.index, compareRow: null });
  },
}));
