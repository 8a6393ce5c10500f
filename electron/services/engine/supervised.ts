import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValleyError } from '../../../shared/api';
import {
  duckDbConfig,
  inTransaction,
  type AppendValue,
  type DuckDbOptions,
  type Engine,
  type EngineRestart,
  type QueryResult,
  type Row,
  type Session,
  type SqlParams,
} from './engine';
import type { Columns, FromHost, HostOp, ToHost } from './protocol';

/** Rows per message of an append: large enough that the round trips do not count, small enough to stream. */
const APPEND_BATCH = 4096;

/**
 * Where the engine host's entry is: built next to this bundle (dist/engine-host.cjs for the CLI and
 * `valley serve`, .vite/build/engine-host.js in the app), or its TypeScript source run through tsx
 * (tests and scripts, which run the sources). VALLEY_ENGINE_HOST overrides.
 */
export const engineHostEntry = (): { file: string; execArgv: string[] } => {
  const override = process.env['VALLEY_ENGINE_HOST'];
  if (override) return { file: override, execArgv: [] };
  for (const name of ['engine-host.cjs', 'engine-host.js']) {
    const file = join(__dirname, name);
    if (existsSync(file)) return { file, execArgv: [] };
  }
  const source = join(__dirname, 'engine-host.ts');
  if (existsSync(source)) {
    const tsx = createRequire(source).resolve('tsx');
    return { file: source, execArgv: ['--import', pathToFileURL(tsx).href] };
  }
  throw new Error(`Valley's engine host is missing from ${__dirname}; build it with \`npm run build\``);
};

/** A statement as a crash message names it: its first 200 characters on one line. */
export const describeSql = (sql: string): string => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
};

/** The first file a statement reads (read_json('…'), read_parquet(['…', …]), glob('…'), …), if any. */
export const fileInSql = (sql: string): string | null => {
  const m = /\b(?:read_\w+|parquet_\w+|glob)\s*\(\s*\[?\s*'((?:[^']|'')+)'/i.exec(sql);
  return m?.[1]?.replaceAll("''", "'") ?? null;
};

const rowsOf = ({ names, columns }: Columns): Row[] => {
  const n = columns[0]?.length ?? 0;
  const rows = new Array<Row>(n);
  for (let r = 0; r < n; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c] as string] = columns[c]?.[r] ?? null;
    rows[r] = row;
  }
  return rows;
};

const resultOf = ({ names, types, columns }: Columns): QueryResult => {
  const n = columns[0]?.length ?? 0;
  const rows = new Array<QueryResult['rows'][number]>(n);
  for (let r = 0; r < n; r++) rows[r] = columns.map((c) => c[r] ?? null);
  return { columns: names.map((name, i) => ({ name, type: types[i] ?? '' })), rows };
};

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  what: string;
  file: string | null;
}

const crashError = (p: Pending, all: readonly Pending[], cause: string, restartError: unknown): ValleyError => {
  const file = p.file ?? all.find((x) => x.file)?.file ?? null;
  const others = all.filter((x) => x !== p).map((x) => x.what);
  const also = others.length ? ` (also running: ${others.slice(0, 3).join('; ')})` : '';
  const after =
    restartError === null
      ? 'It was restarted on the same workspace; everything committed before the crash is kept.'
      : `It could not be restarted (${restartError instanceof Error ? restartError.message : String(restartError)}); reopen the workspace.`;
  return new ValleyError(
    file ? 'bad_input' : 'unavailable',
    `The data engine crashed (${cause}) while ${file ? `reading ${file}, ` : ''}running: ${p.what}${also}. ${after}`,
    { ...(file ? { file } : {}), crash: cause, running: p.what },
  );
};

/**
 * While calls are pending, the host keeps this process alive (a CLI command awaiting a query must not exit),
 * and its exit must be seen: both the channel and the process handle are held. Idle, neither holds it.
 */
const hold = (c: ChildProcess, on: boolean) => {
  if (on) {
    c.ref();
    c.channel?.ref();
  } else {
    c.unref();
    c.channel?.unref();
  }
};

const lostError = () =>
  new ValleyError(
    'unavailable',
    'This connection to the data engine was lost when the engine restarted after a crash; try again',
  );

/**
 * DuckDB in a child process behind the Engine interface. A native crash there (the process exits by a
 * signal) rejects every pending call with an error naming what was running; the host is started again on
 * the same database file (DuckDB's WAL keeps what was committed) and onRestart listeners are told.
 */
export const openSupervisedDuckDb = async (path: string, options: DuckDbOptions = {}): Promise<Engine> => {
  const config = duckDbConfig(options);
  let child: ChildProcess | null = null;
  let generation = 0;
  let nextId = 1;
  let version = '';
  let closing = false;
  let stderrTail = '';
  const pending = new Map<number, Pending>();
  const progress = new Map<number, number | null>();
  const listeners = new Set<(restart: EngineRestart) => void>();
  const exited = new Map<ChildProcess, Promise<void>>();

  /** Send to the current host; answered by its reply, or rejected if it dies first. */
  const rawCall = <T>(op: HostOp, what: string, file: string | null): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const c = child;
      if (!c) return reject(lostError());
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, what, file });
      hold(c, true);
      try {
        c.send({ ...op, id } satisfies ToHost);
      } catch {
        // the host is gone: its exit handler rejects this call with what was running
      }
    });

  const onMessage = (m: FromHost) => {
    if ('op' in m) {
      progress.set(m.sid, m.value);
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0 && child) hold(child, false);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.message));
  };

  const start = async (): Promise<void> => {
    const entry = engineHostEntry();
    const c = fork(entry.file, [], {
      execArgv: entry.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // in Electron, process.execPath is the app: this makes it a plain Node process
      env: process.versions['electron'] ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
    });
    child = c;
    exited.set(c, new Promise((resolve) => c.once('exit', () => resolve())));
    c.unref();
    c.stderr?.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-2000);
    });
    (c.stderr as { unref?: () => void } | null)?.unref?.();
    c.on('message', onMessage);
    c.on('error', () => undefined); // a failed spawn also ends in 'exit'
    c.on('exit', (code, signal) => onExit(c, code, signal));
    try {
      const opened = await rawCall<{ version: string }>({ op: 'open', path, config }, `opening ${path}`, null);
      version = opened.version;
    } catch (error) {
      c.kill('SIGKILL');
      throw error;
    } finally {
      if (pending.size === 0 && child === c) hold(c, false);
    }
  };

  const onExit = (c: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (c !== child) return;
    child = null;
    generation++;
    progress.clear();
    const running = [...pending.values()];
    pending.clear();
    if (closing) {
      for (const p of running) p.reject(new Error('The data engine was closed'));
      return;
    }
    const tail = stderrTail.trim().split('\n').slice(-1)[0];
    const cause = `${signal ? `signal ${signal}` : `exit code ${code}`}${tail ? `: ${tail.slice(0, 300)}` : ''}`;
    stderrTail = '';
    if (running.some((p) => p.what.startsWith('opening '))) {
      // it died opening the database: say so, and do not start it again and again
      for (const p of running) p.reject(new Error(`The data engine stopped (${cause}) while ${p.what}`));
      return;
    }
    const restart: EngineRestart = {
      cause,
      running: running.map((p) => p.what),
      file: running.find((p) => p.file)?.file ?? null,
    };
    // the failed calls are answered once the engine is back, so a retry right away works
    ready = start();
    ready.then(
      () => {
        for (const p of running) p.reject(crashError(p, running, cause, null));
        for (const l of listeners) {
          try {
            l(restart);
          } catch {
            // one broken listener must not stop the others
          }
        }
      },
      (error: unknown) => {
        for (const p of running) p.reject(crashError(p, running, cause, error));
      },
    );
  };

  let ready: Promise<void> = start();
  await ready;

  const session = async (): Promise<Session> => {
    await ready;
    const gen = generation;
    const sid = await rawCall<number>({ op: 'connect' }, 'opening a connection', null);
    let file: string | null = null;
    let closed = false;
    const live = () => {
      if (closed) throw new Error('This engine session is closed');
      if (gen !== generation) throw lostError();
    };
    const exec = async <T>(mode: 'all' | 'run' | 'query' | 'types', sql: string, params?: SqlParams): Promise<T> => {
      live();
      progress.set(sid, null);
      return rawCall<T>(
        { op: 'exec', sid, mode, sql, ...(params ? { params } : {}) },
        describeSql(sql),
        file ?? fileInSql(sql),
      );
    };
    return {
      all: async (sql, params) => rowsOf(await exec<Columns>('all', sql, params)),
      run: async (sql, params) => {
        await exec<null>('run', sql, params);
      },
      query: async (sql, params) => resultOf(await exec<Columns>('query', sql, params)),
      statementTypes: (sql) => exec<string[]>('types', sql),
      async append(table, kinds, rows) {
        live();
        const what = `appending to ${table}`;
        await rawCall({ op: 'appendOpen', sid, table }, what, file);
        let count = 0;
        let batch: (readonly AppendValue[])[] = [];
        const flush = async () => {
          if (!batch.length) return;
          const columns = kinds.map((_, c) => batch.map((row) => row[c] ?? null));
          await rawCall({ op: 'appendRows', sid, kinds, columns, count: batch.length }, what, file);
          count += batch.length;
          batch = [];
        };
        try {
          for (const row of rows) {
            batch.push(row);
            if (batch.length >= APPEND_BATCH) await flush();
          }
          await flush();
        } catch (error) {
          if (gen === generation) await rawCall({ op: 'appendClose', sid }, what, file).catch(() => undefined);
          throw error;
        }
        await rawCall({ op: 'appendClose', sid }, what, file);
        return count;
      },
      interrupt() {
        if (gen === generation && !closed) child?.send({ op: 'interrupt', sid } satisfies ToHost);
      },
      progress: () => (gen === generation ? (progress.get(sid) ?? null) : null),
      reading(f) {
        file = f;
      },
      close() {
        if (closed) return;
        closed = true;
        progress.delete(sid);
        if (gen === generation) rawCall({ op: 'disconnect', sid }, 'closing a connection', null).catch(() => undefined);
      },
    };
  };

  /** One statement on a fresh connection of the host's (sid 0): one round trip. */
  const once = async <T>(mode: 'all' | 'run' | 'query', sql: string, params?: SqlParams): Promise<T> => {
    await ready;
    return rawCall<T>(
      { op: 'exec', sid: 0, mode, sql, ...(params ? { params } : {}) },
      describeSql(sql),
      fileInSql(sql),
    );
  };

  return {
    path,
    get version() {
      return version;
    },
    session,
    all: async (sql, params) => rowsOf(await once<Columns>('all', sql, params)),
    run: async (sql, params) => {
      await once<null>('run', sql, params);
    },
    query: async (sql, params) => resultOf(await once<Columns>('query', sql, params)),
    async transaction(work) {
      const s = await session();
      try {
        return await inTransaction(s, work);
      } finally {
        s.close();
      }
    },
    onRestart(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closing = true;
      await ready.catch(() => undefined);
      const c = child;
      if (!c) return;
      await rawCall({ op: 'close' }, 'closing the database', null).catch(() => undefined);
      const gone = exited.get(c);
      c.disconnect();
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
};
