import { create } from 'zustand';
import type { SystemInfo } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError, useNotices } from '../notices/store';

interface SystemState {
  info: SystemInfo | null;
  error: string | null;
  load(): Promise<void>;
  /** Tell the user when the data engine crashed and restarted (what was running failed; nothing committed is lost). */
  listen(): () => void;
}

export const useSystem = create<SystemState>((set) => ({
  info: null,
  error: null,
  async load() {
    try {
      set({ info: await api().call('system.info', {}), error: null });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
      reportError(error, 'Cannot reach Valley’s backend');
    }
  },
  listen() {
    return api().on('engine.restarted', ({ cause, running, file }) => {
      const what = file ? ` while reading ${file}` : running.length ? ` while running ${running[0]}` : '';
      useNotices.getState().push({
        kind: 'error',
        title: 'The data engine crashed and was restarted',
        detail: `It stopped (${cause})${what}. What was running failed; everything saved before is kept.`,
      });
    });
  },
}));
