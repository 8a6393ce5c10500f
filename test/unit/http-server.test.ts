import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startHttpServer, type HttpServer } from '../../electron/rpc/http-server';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

interface Reply {
  status: number;
  body: string;
}

/** A raw HTTP request, so the test controls Host and Origin headers the way an attacker would. */
const send = (
  port: number,
  path: string,
  headers: Record<string, string>,
  body?: string,
  method = 'POST',
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe('browser-mode server', () => {
  let t: TestBackend;
  let server: HttpServer;
  let ok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 200 });
    server = await startHttpServer({ router: t.backend.router, bus: t.backend.services.bus });
    ok = {
      host: `127.0.0.1:${server.port}`,
      'content-type': 'application/json',
      authorization: `Bearer ${server.token}`,
    };
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  const invoke = (headers: Record<string, string>, body: unknown) =>
    send(server.port, '/api/invoke', headers, JSON.stringify(body));

  it('listens on 127.0.0.1 with a long random token in its URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('answers a request that carries the token', async () => {
    const r = await invoke(ok, { method: 'system.info', request: {} });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { workspace: { isDemo: true } } });
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    const { authorization: _drop, ...noToken } = ok;
    const r1 = await invoke(noToken, { method: 'system.info', request: {} });
    expect(r1.status).toBe(401);
    expect(JSON.parse(r1.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const r2 = await invoke(
      { ...ok, authorization: `Bearer ${server.token.slice(0, -1)}${server.token.endsWith('x') ? 'y' : 'x'}` },
      { method: 'system.info' },
    );
    expect(r2.status).toBe(401);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const r = await invoke({ ...ok, origin: 'http://evil.example' }, { method: 'system.info', request: {} });
    expect(r.status).toBe(403);
    expect(r.body).toContain('Origin http://evil.example is not allowed');
    const same = await invoke(
      { ...ok, origin: `http://localhost:${server.port}` },
      { method: 'system.info', request: {} },
    );
    expect(same.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await invoke({ ...ok, host: `attacker.example:${server.port}` }, { method: 'system.info', request: {} });
    expect(r.status).toBe(403);
  });

  it('answers a malformed request with a validation error naming the field', async () => {
    const r = await invoke(ok, { method: 'sql.query', request: { sql: 42 } });
    const body = JSON.parse(r.body) as { ok: boolean; error: { code: string; details: { field: string } } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.field).toBe('sql');
    const noMethod = await invoke(ok, { request: {} });
    expect(noMethod.status).toBe(400);
    const notJson = await send(server.port, '/api/invoke', ok, '{not json');
    expect(notJson.status).toBe(400);
  });

  it('streams events over a WebSocket only with the token', async () => {
    const base = `ws://127.0.0.1:${server.port}/api/events`;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(base);
      ws.on('error', (e) => resolve(e.message));
      ws.on('open', () => resolve('opened'));
    });
    expect(refused).toMatch(/403/);
    const ws = new WebSocket(`${base}?token=${server.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const got = new Promise<{ event: string; payload: { title: string } }>((resolve) =>
      ws.on('message', (m: Buffer) => resolve(JSON.parse(m.toString()))),
    );
    const { done } = t.backend.services.tasks.start('test', 'A test task', async () => 1);
    await done;
    expect((await got).event).toBe('task.updated');
    ws.close();
  });
});
