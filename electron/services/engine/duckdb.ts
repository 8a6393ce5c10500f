import {
  DuckDBInstance,
  StatementType,
  version as duckdbVersion,
  type DuckDBAppender,
  type DuckDBConnection,
} from '@duckdb/node-api';
import {
  duckDbConfig,
  inTransaction,
  type AppendKind,
  type AppendValue,
  type Cell,
  type DuckDbOptions,
  type Engine,
  type QueryResult,
  type Row,
  type Session,
  type SqlParams,
} from './engine';

/** Convert DuckDB's JS values to JSON-safe cells. */
export const toCell = (value: unknown): Cell => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (Array.isArray(value)) return value.map(toCell);
  if (typeof value === 'object') {
    const out: Record<string, Cell> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCell(v);
    return out;
  }
  return String(value);
};

/** One value into an appender, as the column's kind says. */
export const appendValue = (appender: DuckDBAppender, kind: AppendKind, v: AppendValue | undefined): void => {
  if (v === null || v === undefined) appender.appendNull();
  else if (kind === 'varchar') appender.appendVarchar(String(v));
  else if (kind === 'bigint') appender.appendBigInt(BigInt(v as number));
  else if (kind === 'integer') appender.appendInteger(Number(v));
  else if (kind === 'double') appender.appendDouble(Number(v));
  else appender.appendBoolean(Boolean(v));
};

const bindable = (params?: SqlParams) => params as Parameters<DuckDBConnection['run']>[1];

const sessionOf = (conn: DuckDBConnection): Session => ({
  async all(sql, params) {
    const reader = await conn.runAndReadAll(sql, bindable(params));
    return reader.getRowObjectsJS().map((r) => {
      const row: Row = {};
      for (const [k, v] of Object.entries(r)) row[k] = toCell(v);
      return row;
    });
  },
  async run(sql, params) {
    await conn.run(sql, bindable(params));
  },
  async query(sql, params): Promise<QueryResult> {
    const reader = await conn.runAndReadAll(sql, bindable(params));
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      columns: names.map((name, i) => ({ name, type: String(types[i]) })),
      rows: reader.getRowsJS().map((r) => r.map(toCell)),
    };
  },
  async statementTypes(sql) {
    const extracted = await conn.extractStatements(sql);
    const types: string[] = [];
    for (let i = 0; i < extracted.count; i++) {
      const prepared = await extracted.prepare(i);
      types.push(StatementType[prepared.statementType] ?? 'UNKNOWN');
    }
    return types;
  },
  async append(table, kinds, rows) {
    const appender = await conn.createAppender(table);
    let count = 0;
    try {
      for (const row of rows) {
        kinds.forEach((kind, i) => appendValue(appender, kind, row[i]));
        appender.endRow();
        count++;
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return count;
  },
  interrupt() {
    conn.interrupt();
  },
  progress() {
    const p = conn.progress.percentage;
    return p >= 0 ? Math.min(1, p / 100) : null;
  },
  reading() {
    // in this process a crash takes the caller with it: there is nobody left to tell
  },
  close() {
    conn.closeSync();
  },
});

/**
 * Open (or create) a DuckDB database file in this process. Every call gets its own connection, so work never
 * interleaves. The workspace runs DuckDB in a child process instead (supervised.ts); this is for tests and benchmarks.
 */
export const openDuckDb = async (path: string, options: DuckDbOptions = {}): Promise<Engine> => {
  const instance = await DuckDBInstance.create(path, duckDbConfig(options));
  const open = new Set<Session>();
  const session = async (): Promise<Session> => {
    const s = sessionOf(await instance.connect());
    open.add(s);
    return {
      ...s,
      close() {
        open.delete(s);
        s.close();
      },
    };
  };
  const withSession = async <T>(work: (s: Session) => Promise<T>): Promise<T> => {
    const s = await session();
    try {
      return await work(s);
    } finally {
      s.close();
    }
  };
  return {
    path,
    version: duckdbVersion(),
    session,
    all: (sql, params) => withSession((s) => s.all(sql, params)),
    run: (sql, params) => withSession((s) => s.run(sql, params)),
    query: (sql, params) => withSession((s) => s.query(sql, params)),
    transaction: (work) => withSession((s) => inTransaction(s, work)),
    onRestart: () => () => undefined,
    async close() {
      for (const s of [...open]) s.close();
      instance.closeSync();
    },
  };
};
