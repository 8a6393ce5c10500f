import { create } from 'zustand';
import type { SystemInfo } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';

interface SystemState {
  info: SystemInfo | null;
  error: string | null;
  load(): Promise<void>;
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
}));
