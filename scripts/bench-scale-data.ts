// bench:scale's data: OpenCodeReasoning-2-shaped traces generated into Parquet shards (never committed), and the
// side table plain DuckDB builds from them (the same derived columns Valley's attach stores).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ocr2RowsSql } from './bench-rows';

const shardPath = (dir: string, k: number, shards: number) =>
  join(dir, `train-${String(k).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.parquet`);
/** `rows` OCR2-shaped traces of ~6 KB in `shards` uncompressed Parquet files in `dir`; returns their bytes. */
export const generate = async (dir: string, rows: number, shards: number): Promise<number> => {
  const db = await DuckDBInstance.create(':memory:', { memory_limit: '4GB', preserve_insertion_order: 'false' });
  const c = await db.connect();
  const per = Math.ceil(rows / shards);
  for (let k = 0; k < shards; k++) {
    const [a, b] = [k * per, Math.min(rows, (k + 1) * per)];
    const rowsSql = ocr2RowsSql({
      from: a,
      to: b,
      total: rows,
      question: { base: 8, mod: 10 },
      think: { base: 80, mod: 40, key: 'hash(i)' },
      code: { base: 10, mod: 20 },
      words: true,
    });
    await c.run(
      `COPY (${rowsSql} ORDER BY i) TO '${shardPath(dir, k, shards)}' (FORMAT PARQUET, COMPRESSION uncompressed, ROW_GROUP_SIZE 1000)`,
    );
  }
  c.closeSync();
  db.closeSync();
  return shardBytes(dir);
};

/** The bytes of the Parquet shards in `dir`. */
export const shardBytes = (dir: string): number =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .reduce((a, f) => a + statSync(join(dir, f)).size, 0);

/** The same derived columns Valley's side table holds, built by plain DuckDB in one scan (its "attach"). */
export const plainSide = (glob: string): string => `CREATE TABLE side AS
  SELECT (row_number() OVER (ORDER BY filename, file_row_number) - 1)::BIGINT AS row_id, filename, file_row_number,
    id, question_id, left(question, 300) AS question_preview, judgement = 'right' AS correct, TRY_CAST(pass_rate AS DOUBLE) AS pass_rate,
    difficulty, source, split, contains(r1_generation, '<think>') AS think_open, contains(r1_generation, '</think>') AS think_close,
    length(r1_generation) AS response_chars, (length(r1_generation) / 3.7)::INTEGER AS tokens
  FROM read_parquet('${glob}', filename = true, file_row_number = true)`;
