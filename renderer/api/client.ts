import {
  ValleyError,
  events,
  type EventName,
  type EventPayload,
  type MethodName,
  type RequestOf,
  type ResponseOf,
  type ValleyBridge,
} from '../../shared/api';
import { httpBridge, takeToken } from './transport';

export interface ValleyClient {
  readonly transport: 'ipc' | 'http';
  /** Call a method; resolves with the typed response or throws a ValleyError carrying the error value. */
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

export const createClient = (bridge: ValleyBridge, transport: 'ipc' | 'http'): ValleyClient => ({
  transport,
  async call(method, request) {
    let result;
    try {
      result = await bridge.invoke(method, request);
    } catch (error) {
      throw new ValleyError('unavailable', `Valley's backend did not answer (${String(error)})`);
    }
    if (!result.ok) throw ValleyError.from(result.error);
    return result.value as never;
  },
  on(event, handler) {
    return bridge.on((name, payload) => {
      if (name !== event) return;
      const parsed = events[event].safeParse(payload);
      if (parsed.success) handler(parsed.data as EventPayload<typeof event>);
    });
  },
});

const connect = (): ValleyClient => {
  if (window.valley) return createClient(window.valley, 'ipc');
  const token = takeToken();
  if (!token)
    throw new ValleyError('forbidden', 'Open Valley with the address `valley serve` printed (it carries the token).');
  return createClient(httpBridge(token), 'http');
};

let client: ValleyClient | null = null;
/** The app's one client: IPC in Electron, HTTP + WebSocket in browser mode. */
export const api = (): ValleyClient => (client ??= connect());
