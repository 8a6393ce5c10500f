import { connect } from 'node:net';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHttpServer, type HttpServer } from '../../electron/rpc/http-server';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

/**
 * A bounded fuzz of the browser-mode server on 127.0.0.1: a few thousand malformed requests (URLs, request lines,
 * headers, bodies, WebSocket handshakes and frames), at most 32 at a time, each given at most 2 s. Whatever comes
 * back must be a 4xx (or a plain page for a path that happens to be harmless), never a 5xx, and afterwards the same
 * server must still answer an API call, a page and an event socket.
 */

const CASES = 3000;
const PARALLEL = 32;
const PER_CASE_MS = 2000;

const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const rand = rng(20261201);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
const junkText = (n: number): string =>
  Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join('');
/** Percent-encoding that does not decode (bad hex, truncated or invalid UTF-8) or decodes to NUL. */
const badPercent = (): string =>
  pick(['%E0%A4%A', '%', '%%', '%G0', '%C0%AF', '%ED%A0%80', '%FF', '%E0%80', '%00', `%${pick(['g', 'z', '-', '~'])}`]);
const pathText = (n: number): string => junkText(n).replace(/[#?%\s]/g, 'x');

interface Case {
  kind: 'url' | 'line' | 'header' | 'body' | 'ws';
  data: Buffer;
  /** Whether only a 4xx (or a dropped connection) is acceptable, or any non-5xx answer. */
  strict: boolean;
}

const wsFrame = (
  opcode: number,
  payload: Buffer,
  opts: { masked?: boolean; fin?: boolean; lengthOverride?: Buffer } = {},
): Buffer => {
  const head = [((opts.fin ?? true) ? 0x80 : 0) | (opcode & 0x0f)];
  const mask = (opts.masked ?? true) ? 0x80 : 0;
  let len: Buffer;
  if (opts.lengthOverride) len = Buffer.concat([Buffer.from([mask | 127]), opts.lengthOverride]);
  else if (payload.length < 126) len = Buffer.from([mask | payload.length]);
  else len = Buffer.from([mask | 126, payload.length >> 8, payload.length & 0xff]);
  const key = mask ? bytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload.map((b, i) => (mask ? b ^ (key[i % 4] as number) : b)));
  return Buffer.concat([Buffer.from(head), len, key, body]);
};

const makeCase = (port: number, token: string, i: number): Case => {
  const host = `127.0.0.1:${port}`;
  const auth = `authorization: Bearer ${token}\r\n`;
  const kind = (['url', 'line', 'header', 'body', 'ws'] as const)[i % 5] as Case['kind'];
  if (kind === 'url') {
    const path = pick([
      () => `/${badPercent()}`,
      () => `/assets/${pathText(5)}${badPercent()}z${pathText(3)}`,
      () => `/api/${badPercent()}`,
      () => `/api/invoke${badPercent()}`,
      () => `/${'../'.repeat(1 + Math.floor(rand() * 8))}${badPercent()}`,
    ])();
    return {
      kind,
      strict: true,
      data: Buffer.from(
        `${pick(['GET', 'HEAD', 'POST'])} ${path} HTTP/1.1\r\nhost: ${host}\r\n${auth}content-length: 0\r\nconnection: close\r\n\r\n`,
      ),
    };
  }
  if (kind === 'line') {
    const line = pick([
      () => `GET ${'/' + junkText(100_000)} HTTP/1.1`,
      () => `${junkText(8)} / HTTP/1.1`,
      () => `GET / HTTP/9.9`,
      () => `GET /`,
      () => `GET http://evil.example/ HTTP/1.1`,
      () => `GET * HTTP/1.1`,
      () => `PRI * HTTP/2.0\r\n\r\nSM`,
      () => bytes(40).toString('latin1'),
      () => `\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003`,
      () => `GET /\u0000 HTTP/1.1`,
      () => `GET /${'../'.repeat(6)}%2e%2e%2f%2e%2e%2fetc%2fpasswd HTTP/1.1`,
    ])();
    return {
      kind,
      strict: false,
      data: Buffer.from(`${line}\r\nhost: ${host}\r\nconnection: close\r\n\r\n`, 'latin1'),
    };
  }
  if (kind === 'header') {
    const headers = pick([
      () => `host: ${host}\r\n${junkText(20)}\r\n`,
      () => `host: ${host}\r\nx: ${'a'.repeat(20_000)}\r\n`,
      () => `host: ${host}\r\nhost: evil\r\n`,
      () => '',
      () => `host: ${host}\r\ncontent-length: ${pick(['abc', '-1', '1e9', '99999999999999999999', '5, 6'])}\r\n`,
      () => `host: ${host}\r\ncontent-length: 5\r\ncontent-length: 6\r\n`,
      () => `host: ${host}\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n`,
      () => `host: ${host}\r\ntransfer-encoding: ${junkText(6)}\r\n`,
      () =>
        `host: ${host}\r\n${auth}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nZZ\r\n${junkText(4)}`,
      () => `host: ${host}\r\nx\u0001y: z\r\n`,
      () => `host: ${host}\r\n ${junkText(10)}\r\n`,
      () => `host: ${host}\r\norigin: ${badPercent()}\r\n${auth}`,
      () => `host: ${host}\r\nauthorization: Bearer ${bytes(30).toString('latin1')}\r\n`,
    ])();
    return {
      kind,
      strict: false,
      data: Buffer.from(`POST /api/invoke HTTP/1.1\r\n${headers}connection: close\r\n\r\n`, 'latin1'),
    };
  }
  if (kind === 'body') {
    const body = pick([
      () => Buffer.from(junkText(200)),
      () => bytes(300),
      () => Buffer.from('{"method": 5}'),
      () => Buffer.from('[1,2,3]'),
      () => Buffer.from('null'),
      () => Buffer.from(`{"method": "system.info", "request": ${'['.repeat(5000)}${']'.repeat(5000)}}`),
      () => Buffer.from(`{"method": "${junkText(30).replace(/["\\]/g, '')}", "request": {}}`),
      () => Buffer.from('{"method": "sql.query", "request": {"sql": 7}}'),
      () =>
        Buffer.concat([
          Buffer.from('{"method": "system.info", "request": {"x": "'),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('"}}'),
        ]),
      () => Buffer.from('{"method": "system.info", "request": {'),
    ])();
    const declared = rand() < 0.2 ? body.length + 1 + Math.floor(rand() * 100) : body.length;
    const ctype = pick(['application/json', 'application/json; charset=utf-8', 'text/plain', junkText(10)]);
    const head = `POST /api/invoke HTTP/1.1\r\nhost: ${host}\r\n${auth}content-type: ${ctype}\r\ncontent-length: ${declared}\r\nconnection: close\r\n\r\n`;
    return { kind, strict: false, data: Buffer.concat([Buffer.from(head), body]) };
  }
  const good = rand() < 0.7;
  const handshake =
    `GET /api/events?token=${good ? token : badPercent()} HTTP/1.1\r\nhost: ${host}\r\nupgrade: websocket\r\nconnection: Upgrade\r\n` +
    (rand() < 0.85
      ? `sec-websocket-key: ${Buffer.from(bytes(16)).toString('base64')}\r\n`
      : `sec-websocket-key: ${junkText(5)}\r\n`) +
    `sec-websocket-version: ${rand() < 0.9 ? '13' : junkText(2)}\r\n\r\n`;
  const frame = pick([
    () => bytes(64),
    () => wsFrame(0x3, bytes(10)),
    () => wsFrame(0x1, Buffer.from([0xc3, 0x28, 0xff, 0xfe])),
    () => wsFrame(0x1, Buffer.from('hello'), { masked: false }),
    () =>
      wsFrame(0x2, Buffer.alloc(10), { lengthOverride: Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }),
    () => wsFrame(0x8, Buffer.from([0x03, 0xe7, 0x41])),
    () => wsFrame(0x9, bytes(200)),
    () => wsFrame(0x0, bytes(10)),
    () => wsFrame(0x1, Buffer.from('x'), { fin: false }),
  ])();
  return { kind, strict: false, data: Buffer.concat([Buffer.from(handshake), frame]) };
};

/** Send raw bytes; resolve with the status code of the first reply (0 when the server just closed). */
const fire = (port: number, data: Buffer): Promise<number> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let got = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got);
      resolve(m ? Number(m[1]) : 0);
    };
    const timer = setTimeout(done, PER_CASE_MS);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3}/.test(got) && !got.startsWith('HTTP/1.1 101')) done();
    });
    socket.write(data, () => undefined);
  });

const get = (port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: path.startsWith('/api/') ? 'POST' : 'GET', headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(path.startsWith('/api/') ? JSON.stringify({ method: 'system.info', request: {} }) : undefined);
  });

describe('browser-mode server under malformed input', () => {
  let t: TestBackend;
  let server: HttpServer;
  beforeAll(async () => {
    t = await startTestBackend();
    const web = join(t.dir, '..', 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Valley</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    server = await startHttpServer({ router: t.backend.router, bus: t.backend.services.bus, staticDir: web });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('answers GET /%E0%A4%A with 400 instead of dying', async () => {
    const status = await fire(
      server.port,
      Buffer.from(`GET /%E0%A4%A HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\nconnection: close\r\n\r\n`),
    );
    expect(status).toBe(400);
  });

  it(`survives ${CASES} malformed requests and still serves`, async () => {
    const started = Date.now();
    const statuses = new Map<string, number>();
    const bad: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < CASES && Date.now() - started < 90_000) {
        const i = next++;
        const c = makeCase(server.port, server.token, i);
        const status = await fire(server.port, c.data);
        const key = `${c.kind} ${status}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const fine =
          status === 0 ||
          (status >= 400 && status < 500) ||
          (!c.strict && (status === 101 || (status >= 200 && status < 400)));
        if (!fine)
          bad.push(`${c.kind} #${i} → ${status}: ${JSON.stringify(c.data.subarray(0, 120).toString('latin1'))}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    console.log(`${next} cases in ${Date.now() - started} ms:`, Object.fromEntries([...statuses].sort()));
    expect(next).toBe(CASES);
    expect(bad).toEqual([]);

    const headers = {
      host: `127.0.0.1:${server.port}`,
      'content-type': 'application/json',
      authorization: `Bearer ${server.token}`,
    };
    const api = await get(server.port, '/api/invoke', headers);
    expect(api.status).toBe(200);
    expect((JSON.parse(api.body) as { ok: boolean }).ok).toBe(true);
    const page = await get(server.port, '/assets/app.js', { host: `127.0.0.1:${server.port}` });
    expect(page).toEqual({ status: 200, body: 'console.log(1)' });
    const escape = await get(server.port, '/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd', {
      host: `127.0.0.1:${server.port}`,
    });
    expect(escape.body).not.toMatch(/root:/);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    const event = new Promise<string>((resolve) => ws.on('message', (m: Buffer) => resolve(m.toString())));
    t.backend.services.bus.emit('workspace.changed', { what: 'datasets' });
    expect(await event).toMatch(/workspace\.changed/);
    ws.close();
  }, 150_000);
});
