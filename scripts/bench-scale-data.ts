// bench:scale's data: OpenCodeReasoning-2-shaped traces generated into Parquet shards (never committed), and the
// side table plain DuckDB builds from them (the same derived columns Valley's attach stores).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const shardPath = (dir: string, k: number, shards: number) =>
  join(dir, `train-${String(k).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.parquet`);
/** `rows` OCR2-shaped traces of ~6 KB in `shards` uncompressed Parquet files in `dir`; returns their bytes. */
export const generate = async (dir: string, rows: number, shards: number): Promise<number> => {
  const db = await DuckDBInstance.create(':memory:', { memory_limit: '4GB', preserve_insertion_order: 'false' });
  const c = await db.connect();
  const per = Math.ceil(rows / shards);
  for (let k = 0; k < shards; k++) {
    const [a, b] = [k * per, Math.min(rows, (k + 1) * per)];
    await c.run(`COPY (
      SELECT 'id-' || i AS id, 'q' || (i % (${rows} // 3 + 1)) AS question_id,
        'Problem ' || (i % 997) || ': ' || repeat('Given an array of n integers, find the answer. ', 8 + i % 10) AS question,
        '<think>\n' || repeat('Let me reason about case ' || (i % 101) || ' and check the bound. ', (80 + hash(i) % 40)::BIGINT) ||
          array_to_string(['w' || (hash(i * 64 + j) % 20000) FOR j IN range(60)], ' ') || ' kw' || (i % 5000) || CASE WHEN i % 29 = 0 THEN '' ELSE '\n</think>\nThe solution:\n\`\`\`python\n' ||
          repeat('x = int(input())  # step ' || (i % 13) || '\n', 10 + i % 20) || '\`\`\`\n' END AS r1_generation,
        'critique' AS qwq_critique, 'print(1)' AS solution,
        CASE WHEN (hash(i * 7) % 10)::INT < 6 THEN 'right' ELSE 'wrong' END AS judgement,
        ((hash(i * 3) % 11)::INT / 10)::VARCHAR AS pass_rate,
        ['taco', 'apps', 'code_contests', 'open-r1/codeforces'][1 + i % 4] AS source, 'cc-by-4.0' AS license,
        'taco' AS dataset, 'train' AS split,
        ['EASY', 'MEDIUM', 'MEDIUM_HARD', 'HARD', 'VERY_HARD', 'UNKNOWN_DIFFICULTY'][(1 + hash(i * 5) % 6)::INT] AS difficulty,
        i::VARCHAR AS "index"
      FROM range(${a}, ${b}) t(i) ORDER BY i) TO '${shardPath(dir, k, shards)}' (FORMAT PARQUET, COMPRESSION uncompressed, ROW_GROUP_SIZE 1000)`);
  }
  const size = readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
  c.closeSync();
  db.closeSync();
  return size;
};

/** The same derived columns Valley's side table holds, built by plain DuckDB in one scan (its "attach"). */
export const plainSide = (glob: string): string => `CREATE TABLE side AS
  SELECT (row_number() OVER (ORDER BY filename, file_row_number) - 1)::BIGINT AS row_id, filename, file_row_number,
    id, question_id, left(question, 300) AS question_preview, judgement = 'right' AS correct, TRY_CAST(pass_rate AS DOUBLE) AS pass_rate,
    difficulty, source, split, contains(r1_generation, '<think>') AS think_open, contains(r1_generation, '</think>') AS think_close,
    length(r1_generation) AS response_chars, (length(r1_generation) / 3.7)::INTEGER AS tokens
  FROM read_parquet('${glob}', filename = true, file_row_number = true)`;
