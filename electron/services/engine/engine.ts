/** A JSON-safe cell: DuckDB values converted for transport (BIGINT beyond 2^53 as strings). */
export type Cell = string | number | boolean | null | Cell[] | { [k: string]: Cell };
export type Row = Record<string, Cell>;
export type SqlParams = Record<string, string | number | boolean | null> | (string | number | boolean | null)[];

export type AppendKind = 'varchar' | 'bigint' | 'integer' | 'double' | 'boolean';
export type AppendValue = string | number | boolean | null;

export interface QueryResult {
  readonly columns: { name: string; type: string }[];
  readonly rows: Cell[][];
}

/** A connection for one piece of work: use it for a transaction or a long import, then close it. */
export interface Session {
  all(sql: string, params?: SqlParams): Promise<Row[]>;
  run(sql: string, params?: SqlParams): Promise<void>;
  query(sql: string, params?: SqlParams): Promise<QueryResult>;
  /** Statement types of each statement in `sql` (SELECT, INSERT, …), without running anything. */
  statementTypes(sql: string): Promise<string[]>;
  /** Append rows fast (DuckDB's appender) to an existing table; `kinds` gives each column's type. */
  append(table: string, kinds: readonly AppendKind[], rows: Iterable<readonly AppendValue[]>): Promise<number>;
  /** Interrupt whatever this session is running (used by task cancel). */
  interrupt(): void;
  /** How far the running statement is, 0..1, or null when DuckDB cannot tell (needs enable_progress_bar). */
  progress(): number | null;
  /** Name the file this session's statements read (an import's source): an engine crash meanwhile names it. */
  reading(file: string | null): void;
  close(): void;
}

/** The engine process died (a native crash) and was started again on the same database file. */
export interface EngineRestart {
  /** How it died: `signal SIGSEGV`, `exit code 134`, … */
  readonly cause: string;
  /** What was running then: each statement's first 200 characters. */
  readonly running: readonly string[];
  /** The file being read then, if any. */
  readonly file: string | null;
}

/**
 * The data engine behind the workspace. Native DuckDB through @duckdb/node-api, in its own process
 * (supervised.ts): a native crash there fails the calls that were running, and the engine restarts.
 */
export interface Engine {
  readonly path: string;
  readonly version: string;
  session(): Promise<Session>;
  all(sql: string, params?: SqlParams): Promise<Row[]>;
  run(sql: string, params?: SqlParams): Promise<void>;
  query(sql: string, params?: SqlParams): Promise<QueryResult>;
  /** Run `work` in one transaction on its own session: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (s: Session) => Promise<T>): Promise<T>;
  /**
   * Called after the engine restarted from a crash: sessions (and their temp tables) of before are gone,
   * so whatever keeps one drops it. Returns the unsubscribe.
   */
  onRestart(listener: (restart: EngineRestart) => void): () => void;
  close(): Promise<void>;
}

export interface DuckDbOptions {
  /** e.g. '4GB'. Keeps the backend from taking the machine; DuckDB spills to `tempDirectory` beyond it. */
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
  readonly threads?: number;
}

/** DuckDB's configuration for these options. */
export const duckDbConfig = (options: DuckDbOptions): Record<string, string> => {
  const config: Record<string, string> = {};
  if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
  if (options.tempDirectory) config['temp_directory'] = options.tempDirectory;
  if (options.threads) config['threads'] = String(options.threads);
  return config;
};

/** Run `work` in one transaction on `s`: committed if it resolves, rolled back if it throws. */
export const inTransaction = async <T>(s: Session, work: (s: Session) => Promise<T>): Promise<T> => {
  await s.run('BEGIN TRANSACTION');
  try {
    const result = await work(s);
    await s.run('COMMIT');
    return result;
  } catch (error) {
    await s.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
};

/** Quote an identifier for SQL ("my table" → "my table" with inner quotes doubled). */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** The column names of a table or view. */
export const columnsOf = async (db: Pick<Session, 'all'>, table: string): Promise<Set<string>> =>
  new Set(
    (
      await db.all(
        'SELECT column_name AS c FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position',
        { t: table },
      )
    ).map((r) => String(r['c'])),
  );

/** Quote a string literal for SQL. Prefer bound parameters; this is for DDL where DuckDB takes none. */
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;
