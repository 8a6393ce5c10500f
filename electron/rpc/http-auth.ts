import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The Host and Origin values a page served by us may send: our own address, by IP or by `localhost`. */
export const allowedOrigins = (port: number): Set<string> =>
  new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

export const hostAllowed = (req: IncomingMessage, port: number): boolean => {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
};

/** No Origin (curl, the CLI) is fine; a browser's Origin must be ours. */
export const originAllowed = (req: IncomingMessage, port: number): boolean => {
  const origin = req.headers.origin;
  return origin === undefined || allowedOrigins(port).has(origin);
};

export const tokenMatches = (given: string | null | undefined, token: string): boolean => {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const bearerOf = (req: IncomingMessage): string | null => {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice('Bearer '.length) : null;
};
