import { create } from 'zustand';
import { ValleyError } from '../../../shared/api';

export interface Notice {
  id: number;
  kind: 'error' | 'info' | 'success';
  title: string;
  detail?: string;
  /** How many times this same notice was pushed while it was shown ("×3"). */
  count: number;
}

interface NoticeState {
  notices: Notice[];
  push(n: Omit<Notice, 'id' | 'count'>): void;
  dismiss(id: number): void;
  dismissAll(): void;
}

/** Info and success notices close themselves after this long; errors stay until dismissed. */
export const NOTICE_MS = 5000;
/** At most this many errors stack (the oldest goes), and at most this many notices in all. */
export const MAX_ERRORS = 3;
const MAX_NOTICES = 5;

let next = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useNotices = create<NoticeState>((set, get) => {
  const drop = (id: number) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    set((s) => ({ notices: s.notices.filter((x) => x.id !== id) }));
  };
  const closeLater = (n: Notice) => {
    if (n.kind === 'error') return;
    clearTimeout(timers.get(n.id));
    timers.set(
      n.id,
      setTimeout(() => drop(n.id), NOTICE_MS),
    );
  };
  return {
    notices: [],
    push(n) {
      // the same notice again (a failing refresh, a repeated click) counts up instead of stacking
      const same = get().notices.find((x) => x.kind === n.kind && x.title === n.title && x.detail === n.detail);
      if (same) {
        const bumped = { ...same, count: same.count + 1 };
        set((s) => ({ notices: s.notices.map((x) => (x.id === same.id ? bumped : x)) }));
        closeLater(bumped);
        return;
      }
      const notice: Notice = { ...n, id: next++, count: 1 };
      let notices = [...get().notices, notice];
      const errors = notices.filter((x) => x.kind === 'error');
      const gone = new Set(errors.slice(0, Math.max(0, errors.length - MAX_ERRORS)).map((x) => x.id));
      for (const x of notices.slice(0, Math.max(0, notices.length - gone.size - MAX_NOTICES))) gone.add(x.id);
      for (const id of gone) clearTimeout(timers.get(id));
      notices = notices.filter((x) => !gone.has(x.id));
      set({ notices });
      closeLater(notice);
    },
    dismiss: drop,
    dismissAll() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      set({ notices: [] });
    },
  };
});

/** Show any thrown value as an error notice, with the field/file/line details a ValleyError carries. */
export const reportError = (error: unknown, title = 'Something went wrong'): void => {
  const detail =
    error instanceof ValleyError
      ? [error.message, ...(error.details?.issues ?? []).map((i) => `${i.path}: ${i.message}`)].join('\n')
      : error instanceof Error
        ? error.message
        : String(error);
  useNotices.getState().push({ kind: 'error', title, detail });
};
