import type { Result } from './errors';

/**
 * What the Electron preload exposes on `window.valley`: one call and one event stream, names checked
 * against the contract on the way through. The browser-mode client offers the same shape over HTTP.
 */
export interface ValleyBridge {
  invoke(method: string, request: unknown): Promise<Result<unknown>>;
  /** Subscribe to all pushed events; returns the unsubscribe function. */
  on(listener: (event: string, payload: unknown) => void): () => void;
}

/** The IPC channel names, shared by preload and main. */
export const ipcChannels = { invoke: 'valley:invoke', event: 'valley:event' } as const;
