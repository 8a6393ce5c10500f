import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ValleyError } from '../../../../shared/api';
import { ident } from '../../engine/engine';
import type { Session } from '../../engine/engine';

export interface TokenCounter {
  count(text: string): number;
}

/**
 * A real tokenizer from a local Hugging Face `tokenizer.json` (Qwen2.5 and Llama 3.1 ship one), with the
 * `tokenizer_config.json` beside it when present. Pure JavaScript (@huggingface/tokenizers), fully offline.
 */
export const loadTokenizer = async (path: string): Promise<TokenCounter> => {
  const file = path.endsWith('.json') ? path : join(path, 'tokenizer.json');
  if (!existsSync(file)) throw new ValleyError('not_found', `Tokenizer file ${file} does not exist`, { file });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ValleyError('bad_input', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  const configFile = join(dirname(file), 'tokenizer_config.json');
  const config: unknown = existsSync(configFile) ? JSON.parse(await readFile(configFile, 'utf8')) : {};
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json as object, config as object);
  } catch (error) {
    throw new ValleyError('bad_input', `${file} is not a tokenizer Valley can load: ${(error as Error).message}`, {
      file,
    });
  }
  return { count: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length };
};

const BATCH = 2000;

/**
 * Replace the estimated `tokens` of `table` with exact counts from `counter`, reading texts from
 * `textRelation` (the same table, or the view over Parquet) in row-id batches.
 */
export const countTokens = async (
  s: Session,
  counter: TokenCounter,
  textRelation: string,
  table: string,
  rows: number,
  onProgress: (done: number) => void,
  checkCancelled: () => void,
): Promise<void> => {
  await s.run('CREATE OR REPLACE TEMP TABLE _valley_tokens (row_id BIGINT, tokens INTEGER)');
  for (let start = 0; start < rows; start += BATCH) {
    checkCancelled();
    const batch = await s.all(
      `SELECT row_id, response FROM ${ident(textRelation)} WHERE row_id >= $a AND row_id < $b`,
      { a: start, b: start + BATCH },
    );
    await s.append(
      '_valley_tokens',
      ['bigint', 'integer'],
      batch.map((r) => [Number(r['row_id']), typeof r['response'] === 'string' ? counter.count(r['response']) : null]),
    );
    onProgress(Math.min(rows, start + BATCH));
  }
  await s.run(`UPDATE ${ident(table)} AS t SET tokens = k.tokens FROM _valley_tokens k WHERE t.row_id = k.row_id`);
  await s.run('DROP TABLE _valley_tokens');
};
