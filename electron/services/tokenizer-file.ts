import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ValleyError } from '../../shared/api';

/** A local Hugging Face tokenizer as loaded: its tokenizer.json and tokenizer_config.json (parsed), and the tokenizer. */
export interface TokenizerFile {
  /** The tokenizer.json read. */
  file: string;
  json: Readonly<Record<string, unknown>>;
  /** tokenizer_config.json beside it, {} when there is none. */
  config: Readonly<Record<string, unknown>>;
  tokenizer: Tokenizer;
}

/** Where an error points: the file, and the request field when there is one. */
const at = (file: string, field: string | undefined) => (field === undefined ? { file } : { file, field });

const readJson = async (file: string, field: string | undefined): Promise<Record<string, unknown>> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ValleyError('bad_input', `${file} is not valid JSON: ${(error as Error).message}`, at(file, field));
  }
};

/**
 * Load a local `tokenizer.json` (or the folder holding it; Qwen2.5 and Llama 3.1 ship one) with the
 * `tokenizer_config.json` beside it when present: pure JavaScript (@huggingface/tokenizers), offline. Refused
 * naming the file (and `field`, the request field that named it) when it is missing, not JSON or not a tokenizer.
 */
export const loadTokenizerFile = async (path: string, field?: string): Promise<TokenizerFile> => {
  const file = path.endsWith('.json') ? path : join(path, 'tokenizer.json');
  if (!existsSync(file)) throw new ValleyError('not_found', `Tokenizer file ${file} does not exist`, at(file, field));
  const json = await readJson(file, field);
  const configFile = join(dirname(file), 'tokenizer_config.json');
  const config = existsSync(configFile) ? await readJson(configFile, field) : {};
  try {
    return { file, json, config, tokenizer: new Tokenizer(json, config) };
  } catch (error) {
    throw new ValleyError(
      'bad_input',
      `${file} is not a tokenizer Valley can load: ${(error as Error).message}`,
      at(file, field),
    );
  }
};
