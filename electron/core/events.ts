import type { EventMap, EventName } from '../../shared/events';

export type EventListener = <E extends EventName>(name: E, payload: EventMap[E]) => void;

/** A tiny typed event bus: main forwards it to the window, the host to SSE clients. */
export function createEventBus() {
  const listeners = new Set<EventListener>();
  return {
    emit<E extends EventName>(name: E, payload: EventMap[E]): void {
      for (const l of listeners) l(name, payload);
    },
    /** Subscribes; returns the unsubscribe function. */
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
