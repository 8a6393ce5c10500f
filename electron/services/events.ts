import type { EventName, EventPayload } from '../../shared/api';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** Pushes backend events to whoever listens: the IPC adapter, the WebSocket server, the CLI's progress bar. */
export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
}

export const createEventBus = (): EventBus => {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const l of listeners) {
        try {
          l(name, payload);
        } catch {
          // one broken listener must not stop the others
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};
