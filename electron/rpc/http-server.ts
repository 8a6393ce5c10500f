import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
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
const HOST = '127.0.0.1';

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};
const refuse = (res: ServerResponse, status: number, error: ApiErrorValue): void =>
  sendJson(res, status, { ok: false, error });

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

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
      refuse(res, 400, { code: 'invalid_request', message: `Request body is not JSON: ${String(error)}` });
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

  const server = createServer((req, res) => {
    if (!hostAllowed(req, port)) {
      refuse(res, 403, { code: 'forbidden', message: `Host ${req.headers.host ?? '(none)'} is not allowed` });
      return;
    }
    if (!originAllowed(req, port)) {
      refuse(res, 403, { code: 'forbidden', message: `Origin ${req.headers.origin ?? ''} is not allowed` });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
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
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const ok =
      url.pathname === '/api/events' &&
      hostAllowed(req, port) &&
      originAllowed(req, port) &&
      tokenMatches(url.searchParams.get('token'), token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });
  const unsubscribe = options.bus.subscribe((name, payload) => {
    const message = JSON.stringify({ event: name, payload });
    for (const ws of sockets) ws.send(message);
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
