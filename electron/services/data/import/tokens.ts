import { loadTokenizerFile } from '../../tokenizer-file';
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
  const { tokenizer } = await loadTokenizerFile(path);
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
