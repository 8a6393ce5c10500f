import type { Result, ValleyBridge } from '../../shared/api';

declare global {
  interface Window {
    /** Present only in the Electron app (set by the preload). */
    valley?: ValleyBridge;
  }
}

const TOKEN_KEY = 'valley.token';

/** Browser mode: the token arrives once in the URL; keep it for this tab and take it out of the address bar. */
export const takeToken = (): string | null => {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
};

/** The same bridge as the preload's, over fetch + WebSocket to the local server. */
export const httpBridge = (token: string): ValleyBridge => {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = () => {
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      retry = 500;
    };
    socket.onmessage = (m: MessageEvent<string>) => {
      const { event, payload } = JSON.parse(m.data) as { event: string; payload: unknown };
      for (const l of listeners) l(event, payload);
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size > 0) setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };
  return {
    async invoke(method, request) {
      const res = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ method, request }),
      });
      return (await res.json()) as Result<unknown>;
    },
    on(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => listeners.delete(listener);
    },
  };
};

/**
 * This page's address at another route (`#/reader?…`), for a window of its own: in browser mode with the token, as
 * `valley serve` printed it (a new window starts with empty session storage; takeToken takes it out of the address
 * bar again); in the desktop app the page itself (the main process opens it with the same preload).
 */
export const routeUrl = (hash: string): string => {
  const url = new URL(window.location.href);
  url.hash = hash;
  const token = window.valley ? null : sessionStorage.getItem(TOKEN_KEY);
  if (token) url.searchParams.set('token', token);
  return url.toString();
};
