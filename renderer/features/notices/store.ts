import { create } from 'zustand';
import { ValleyError } from '../../../shared/api';

export interface Notice {
  id: number;
  kind: 'error' | 'info' | 'success';
  title: string;
  detail?: string;
}

interface NoticeState {
  notices: Notice[];
  push(n: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
}

let next = 1;

export const useNotices = create<NoticeState>((set) => ({
  notices: [],
  push(n) {
    const id = next++;
    set((s) => ({ notices: [...s.notices.slice(-4), { ...n, id }] }));
    if (n.kind !== 'error') setTimeout(() => set((s) => ({ notices: s.notices.filter((x) => x.id !== id) })), 5000);
  },
  dismiss(id) {
    set((s) => ({ notices: s.notices.filter((x) => x.id !== id) }));
  },
}));

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
