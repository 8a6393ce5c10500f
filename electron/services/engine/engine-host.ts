import {
  DuckDBInstance,
  StatementType,
  version as duckdbVersion,
  type DuckDBAppender,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { appendValue, toCell } from './duckdb';
import type { Columns, FromHost, HostOp, ToHost } from './protocol';

/**
 * The engine host: a child process that owns the workspace's DuckDB and runs what the backend sends
 * (see protocol.ts and supervised.ts). If DuckDB crashes natively, only this process dies.
 */
let instance: DuckDBInstance | null = null;
const sessions = new Map<
  number,
  { conn: DuckDBConnection; running: number; appender: DuckDBAppender | null; progress: number | null }
>();
let nextSid = 1;

/**
 * Statements running now, with their connections. Closing DuckDB while one runs never returns (the statement's
 * result is released on this thread, which the close blocks): a backend that died during the word index's build left
 * this process holding the workspace's lock for good. So a close first interrupts them and waits for them to end.
 */
const inflight = new Set<{ conn: DuckDBConnection; done: Promise<unknown> }>();
const tracked = <T>(conn: DuckDBConnection, work: Promise<T>): Promise<T> => {
  const entry = { conn, done: work.catch(() => undefined) };
  inflight.add(entry);
  return work.finally(() => inflight.delete(entry));
};
/** Interrupt every running statement and wait until they have ended (at most `ms`); true when none is left. */
const stopRunning = async (ms: number): Promise<boolean> => {
  const running = [...inflight];
  for (const f of running) f.conn.interrupt();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(running.map((f) => f.done)),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
  return inflight.size === 0;
};

const send = (message: FromHost): void => {
  if (process.connected) process.send?.(message);
};

const sessionOf = (sid: number) => {
  const s = sessions.get(sid);
  if (!s) throw new Error(`No engine session ${sid}`);
  return s;
};

const columnsOf = (reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>): Columns => ({
  names: reader.columnNames(),
  types: reader.columnTypes().map(String),
  columns: reader.getColumnsJS().map((c) => c.map(toCell)),
});

const exec = async (op: Extract<HostOp, { op: 'exec' }>): Promise<Columns | string[] | null> => {
  if (op.sid === 0) {
    // one statement on a connection of its own (Engine.all/run/query): one message, not three
    if (!instance) throw new Error('The engine is not open');
    const conn = await instance.connect();
    try {
      const params = op.params as Parameters<DuckDBConnection['run']>[1];
      if (op.mode === 'run') {
        await tracked(conn, conn.run(op.sql, params));
        return null;
      }
      return columnsOf(await tracked(conn, conn.runAndReadAll(op.sql, params)));
    } finally {
      conn.closeSync();
    }
  }
  const s = sessionOf(op.sid);
  const params = op.params as Parameters<DuckDBConnection['run']>[1];
  s.running++;
  s.progress = null;
  try {
    if (op.mode === 'run') {
      await tracked(s.conn, s.conn.run(op.sql, params));
      return null;
    }
    if (op.mode === 'types') {
      const extracted = await s.conn.extractStatements(op.sql);
      const types: string[] = [];
      for (let i = 0; i < extracted.count; i++) {
        const prepared = await extracted.prepare(i);
        types.push(StatementType[prepared.statementType] ?? 'UNKNOWN');
      }
      return types;
    }
    return columnsOf(await tracked(s.conn, s.conn.runAndReadAll(op.sql, params)));
  } finally {
    s.running--;
  }
};

const handle = async (op: HostOp): Promise<unknown> => {
  switch (op.op) {
    case 'open':
      instance = await DuckDBInstance.create(op.path, op.config);
      return { version: duckdbVersion(), pid: process.pid };
    case 'connect': {
      if (!instance) throw new Error('The engine is not open');
      const sid = nextSid++;
      sessions.set(sid, { conn: await instance.connect(), running: 0, appender: null, progress: null });
      return sid;
    }
    case 'exec':
      return exec(op);
    case 'appendOpen': {
      const s = sessionOf(op.sid);
      s.appender = await s.conn.createAppender(op.table);
      return null;
    }
    case 'appendRows': {
      const appender = sessionOf(op.sid).appender;
      if (!appender) throw new Error('No append in progress');
      for (let r = 0; r < op.count; r++) {
        op.kinds.forEach((kind, c) => appendValue(appender, kind, op.columns[c]?.[r]));
        appender.endRow();
      }
      return null;
    }
    case 'appendClose': {
      const s = sessionOf(op.sid);
      const appender = s.appender;
      s.appender = null;
      if (!appender) return null;
      try {
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      return null;
    }
    case 'disconnect': {
      const s = sessions.get(op.sid);
      sessions.delete(op.sid);
      s?.conn.closeSync();
      return null;
    }
    case 'close':
      // what still runs (a background build's step) is interrupted: waiting for it made closing take seconds
      await stopRunning(10_000);
      for (const [sid, s] of sessions) {
        sessions.delete(sid);
        s.conn.closeSync();
      }
      instance?.closeSync();
      instance = null;
      return null;
  }
};

// progress is polled here and pushed when it changes, so the backend's Session.progress() stays synchronous
const poll = setInterval(() => {
  for (const [sid, s] of sessions) {
    if (s.running === 0) continue;
    const p = s.conn.progress.percentage;
    const value = p >= 0 ? Math.min(1, p / 100) : null;
    if (value !== s.progress) {
      s.progress = value;
      send({ op: 'progress', sid, value });
    }
  }
}, 100);

process.on('message', (message: ToHost) => {
  if (message.op === 'interrupt') {
    sessions.get(message.sid)?.conn.interrupt();
    return;
  }
  const { id } = message;
  handle(message).then(
    (value) => send({ id, ok: true, value }),
    (error: unknown) => send({ id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});

// the backend went away (closed us, or died): stop what runs, close the database cleanly and leave; if a statement
// does not end, leave without closing (what was committed is in the WAL, which the next open replays)
process.on('disconnect', () => {
  clearInterval(poll);
  void stopRunning(5_000).then((none) => {
    try {
      if (none) {
        for (const s of sessions.values()) s.conn.closeSync();
        instance?.closeSync();
      }
    } finally {
      process.exit(0);
    }
  });
});
