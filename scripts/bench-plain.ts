// Plain DuckDB for the benchmarks, in a process of its own (so each side's memory is its own): started with
// child_process.fork, it opens a database file and answers {id, sql, mode} messages with the query's time as
// measured here (no message passing counted) and the first cell of the result.
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
