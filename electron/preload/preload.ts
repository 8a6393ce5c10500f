import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, type ValleyBridge } from '../../shared/api/bridge';
import { methodNames } from '../../shared/api/contract';
import { eventNames } from '../../shared/api/events';

// The renderer's whole view of the main process: invoke a contract method, listen to contract events.
const methods = new Set<string>(methodNames);
const events = new Set<string>(eventNames);

const bridge: ValleyBridge = {
  invoke(method, request) {
    if (!methods.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `Unknown method "${method}"` } });
    }
    return ipcRenderer.invoke(ipcChannels.invoke, method, request);
  },
  on(listener) {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (events.has(name)) listener(name, payload);
    };
    ipcRenderer.on(ipcChannels.event, handler);
    return () => ipcRenderer.removeListener(ipcChannels.event, handler);
  },
};

contextBridge.exposeInMainWorld('valley', bridge);
