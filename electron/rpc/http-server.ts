import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiErrorValue } from '../../shared/api';
import type { EventBus } from '../services/events';
import type { Router } from './router';
import { bearerOf, hostAllowed, originAllowed, tokenMatches } from './http-auth';
import { serveStatic } from './static-files';

export interface HttpServerOptions {
  readonly router: Router;
  readonly bus: EventBus;
  /** Folder of the built renderer; without one only the API is served. */
  readonly staticDir?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Defaults to a fresh random token. */
  readonly token?: string;
}

export interface HttpServer {
  readonly port: number;
  readonly token: string;
  /** The address to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;
/** The client never needs to send anything on the event socket: a tiny limit keeps junk frames cheap. */
const MAX_WS_PAYLOAD = 64 * 1024;
const HOST = '127.0.0.1';
const ignore = (): void => undefined;

/** Send a JSON reply if the response can still take one; otherwise drop the connection. Never throws. */
const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  try {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  } catch {
    res.destroy();
  }
};
const refuse = (res: ServerResponse, status: number, error: ApiErrorValue): void =>
  sendJson(res, status, { ok: false, error });

class BodyTooLarge extends Error {}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge(`body larger than ${MAX_BODY} bytes`));
        req.pause();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => reject(new Error('connection closed before the body ended')));
  });

/** The request's URL, or null when it is not one (bad percent-encoding is checked later, where it is decoded). */
const urlOf = (req: IncomingMessage, port: number): URL | null => {
  try {
    return new URL(req.url ?? '/', `http://${HOST}:${port}`);
  } catch {
    return null;
  }
};

/**
 * Browser mode: the API and the renderer on 127.0.0.1 only. Every API call and event stream must carry the
 * random token; requests with a foreign Host (DNS rebinding) or Origin (another site) are refused.
 */
export const startHttpServer = async (options: HttpServerOptions): Promise<HttpServer> => {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const sockets = new Set<WebSocket>();

  const invoke = async (req: IncomingMessage, res: ServerResponse) => {
    if (!tokenMatches(bearerOf(req), token)) {
      refuse(res, 401, { code: 'forbidden', message: 'Missing or wrong token' });
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      refuse(res, 415, { code: 'invalid_request', message: 'Content-Type must be application/json' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        refuse(res, 413, { code: 'invalid_request', message: `Request ${error.message}` });
      } else refuse(res, 400, { code: 'invalid_request', message: `Request body is not JSON: ${String(error)}` });
      return;
    }
    const envelope = body as { method?: unknown; request?: unknown };
    if (typeof envelope !== 'object' || envelope === null || typeof envelope.method !== 'string') {
      refuse(res, 400, {
        code: 'invalid_request',
        message: 'Body must be {"method": string, "request": object}',
        details: { field: 'method' },
      });
      return;
    }
    const result = await options.router.handle(envelope.method, envelope.request, { transport: 'http' });
    sendJson(res, 200, result);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!hostAllowed(req, port)) {
      refuse(res, 403, { code: 'forbidden', message: `Host ${req.headers.host ?? '(none)'} is not allowed` });
      return;
    }
    if (!originAllowed(req, port)) {
      refuse(res, 403, { code: 'forbidden', message: `Origin ${req.headers.origin ?? ''} is not allowed` });
      return;
    }
    const url = urlOf(req, port);
    if (!url) {
      refuse(res, 400, { code: 'invalid_request', message: 'Malformed URL' });
      return;
    }
    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') {
        refuse(res, 405, { code: 'invalid_request', message: 'Use POST' });
        return;
      }
      invoke(req, res).catch((error: unknown) =>
        refuse(res, 500, { code: 'internal', message: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      refuse(res, 404, { code: 'not_found', message: `No such endpoint ${url.pathname}` });
      return;
    }
    if (!options.staticDir) {
      res.writeHead(404).end();
      return;
    }
    serveStatic(options.staticDir, url.pathname, res, port);
  };

  // Every listener boundary catches: a request, header, body or frame the code did not foresee gets a 4xx (or the
  // connection is dropped), never an exception that takes the backend down.
  const server = createServer((req, res) => {
    req.on('error', ignore);
    res.on('error', ignore);
    try {
      handle(req, res);
    } catch (error) {
      if (error instanceof URIError)
        refuse(res, 400, { code: 'invalid_request', message: `Malformed URL: ${error.message}` });
      else refuse(res, 500, { code: 'internal', message: error instanceof Error ? error.message : String(error) });
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    socket.on('error', ignore);
    if (socket.writable && error.code !== 'ECONNRESET') {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    } else socket.destroy();
  });
  server.on('connection', (socket) => socket.on('error', ignore));

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD });
  wss.on('error', ignore);
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = urlOf(req, port);
    const ok =
      url !== null &&
      url.pathname === '/api/events' &&
      hostAllowed(req, port) &&
      originAllowed(req, port) &&
      tokenMatches(url.searchParams.get('token'), token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      // a malformed frame (bad opcode, invalid UTF-8, too large) ends this socket, not the server
      ws.on('error', () => ws.terminate());
      ws.on('close', () => sockets.delete(ws));
    });
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', ignore);
    try {
      upgrade(req, socket, head);
    } catch {
      socket.destroy();
    }
  });
  const unsubscribe = options.bus.subscribe((name, payload) => {
    let message: string;
    try {
      message = JSON.stringify({ event: name, payload });
    } catch {
      return;
    }
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message, ignore);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
