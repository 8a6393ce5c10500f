// Plain DuckDB for the benchmarks, in a process of its own (so each side's memory is its own): started with
// child_process.fork, it opens a database file and answers {id, sql, mode} messages with the query's time as
// measured here (no message passing counted) and the first cell of the result. `startPlain` is the parent's side.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { defaultMemoryLimit } from '../electron/services/workspace/workspace';

export interface PlainRequest {
  readonly id: number;
  readonly sql: string;
  /** 'run' runs it; 'all' also reads every row (as a client showing them would). */
  readonly mode: 'run' | 'all';
}
export interface PlainReply {
  readonly id: number;
  readonly ms?: number;
  readonly first?: string | null;
  readonly rows?: number;
  readonly error?: string;
}

/** The benchmark's side of plain DuckDB: queries sent to the forked process, each answered with its own time. */
export interface Plain {
  readonly pid: number;
  q(sql: string, mode?: 'run' | 'all'): Promise<PlainReply>;
  close(): void;
}
export const startPlain = async (dir: string): Promise<Plain> => {
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const child: ChildProcess = fork(join(__dirname, 'bench-plain.ts'), [join(dir, 'plain.duckdb'), join(dir, 'tmp')], {
    execArgv: process.execArgv,
  });
  const waiting = new Map<number, (r: PlainReply) => void>();
  child.on('message', (r: PlainReply) => waiting.get(r.id)?.(r));
  await new Promise<void>((resolve) => waiting.set(0, () => resolve()));
  let next = 1;
  return {
    pid: child.pid ?? -1,
    q: (sql, mode = 'all') =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, (r) => (r.error ? reject(new Error(`plain DuckDB: ${r.error}\n${sql}`)) : resolve(r)));
        child.send({ id, sql, mode } satisfies PlainRequest);
      }),
    close: () => child.kill(),
  };
};

const serve = async (file: string, tmp: string) => {
  const db = await DuckDBInstance.create(file, { memory_limit: defaultMemoryLimit(), temp_directory: tmp });
  const c: DuckDBConnection = await db.connect();
  process.on('message', (m: PlainRequest) => {
    void (async () => {
      try {
        const t0 = performance.now();
        if (m.mode === 'run') {
          await c.run(m.sql);
          process.send?.({ id: m.id, ms: performance.now() - t0, first: null, rows: 0 } satisfies PlainReply);
        } else {
          const r = await c.runAndReadAll(m.sql);
          const ms = performance.now() - t0;
          const rows = r.getRows();
          const cell = rows[0]?.[0];
          process.send?.({
            id: m.id,
            ms,
            first: cell === undefined || cell === null ? null : String(cell),
            rows: rows.length,
          } satisfies PlainReply);
        }
      } catch (error) {
        process.send?.({
          id: m.id,
          error: error instanceof Error ? error.message : String(error),
        } satisfies PlainReply);
      }
    })();
  });
  process.send?.({ id: 0 } satisfies PlainReply);
};

if (require.main === module) {
  const [file, tmp] = process.argv.slice(2);
  if (!file || !tmp) throw new Error('usage: bench-plain.ts <database file> <temp dir>');
  void serve(file, tmp);
}
