import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { loadTokenizerFile } from '../tokenizer-file';
import { ValleyError } from '../../../shared/api';
import { CHAT_TEMPLATE_TOKENS, stripThink, type TransformRecord } from '../../../shared/domain/study-transforms';
import { MANIFEST, readManifestFile } from '../curate/manifest';
import { sha256File } from '../hash';

/** A student's own tokenizer, from its local tokenizer.json (or the model folder holding it). */
export interface StudentTokenizer {
  readonly path: string;
  readonly sha256: string;
  ids(text: string): number[];
  decode(ids: number[]): string;
  /** Added (special) tokens whose text contains `<think>` or `</think>`. */
  readonly thinkTokens: string[];
}

export const loadStudentTokenizer = async (path: string): Promise<StudentTokenizer> => {
  const { file, json, config, tokenizer } = await loadTokenizerFile(path, 'tokenizers');
  const addedTokens = (json['added_tokens'] ?? []) as { content?: string }[];
  const addedDecoder = (config['added_tokens_decoder'] ?? {}) as Record<string, { content?: string }>;
  const added = [
    ...addedTokens.map((t) => t.content ?? ''),
    ...Object.values(addedDecoder).map((t) => t.content ?? ''),
  ];
  return {
    path: file,
    sha256: await sha256File(file),
    ids: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.map(Number),
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: false }),
    thinkTokens: [...new Set(added.filter((t) => /<\/?think>/.test(t)))],
  };
};

export interface ExportTransforms {
  stripThink: boolean;
  overlong: 'keep' | 'drop' | 'truncate';
  maxSeqLen: number;
  /** Needed unless overlong rows are kept. */
  tokenizer: (StudentTokenizer & { student: string }) | null;
}

type Message = { role: string; content: string };

/** Transform one chat JSONL file into `out`; returns what was done. */
const transformFile = async (
  src: string,
  out: string,
  t: ExportTransforms,
): Promise<TransformRecord['files'][number]> => {
  const counts = {
    path: '',
    rowsIn: 0,
    rowsOut: 0,
    thinkStripped: 0,
    noThinkTags: 0,
    unclosedDropped: 0,
    overlongDropped: 0,
    truncated: 0,
    maxTokens: 0,
  };
  const fh = await open(out, 'w');
  let buffer: string[] = [];
  const flush = async () => {
    if (buffer.length) await fh.write(buffer.join(''));
    buffer = [];
  };
  try {
    const lines = createInterface({ input: createReadStream(src, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      counts.rowsIn++;
      const row = JSON.parse(line) as { messages: Message[] };
      const answer = row.messages.find((m) => m.role === 'assistant');
      if (answer && t.stripThink) {
        const r = stripThink(answer.content);
        if (r.outcome === 'unclosed') {
          counts.unclosedDropped++;
          continue;
        }
        if (r.outcome === 'stripped') counts.thinkStripped++;
        else counts.noThinkTags++;
        answer.content = r.text;
      }
      if (t.overlong !== 'keep' && t.tokenizer) {
        const others = row.messages
          .filter((m) => m !== answer)
          .reduce((n, m) => n + t.tokenizer!.ids(m.content).length, 0);
        const ids = answer ? t.tokenizer.ids(answer.content) : [];
        const total = others + ids.length + CHAT_TEMPLATE_TOKENS;
        if (total > t.maxSeqLen) {
          const room = t.maxSeqLen - others - CHAT_TEMPLATE_TOKENS;
          if (t.overlong === 'drop' || !answer || room <= 0) {
            counts.overlongDropped++;
            continue;
          }
          answer.content = t.tokenizer.decode(ids.slice(0, room));
          counts.truncated++;
          counts.maxTokens = Math.max(counts.maxTokens, t.maxSeqLen);
        } else {
          counts.maxTokens = Math.max(counts.maxTokens, total);
        }
      }
      buffer.push(JSON.stringify(row) + '\n');
      counts.rowsOut++;
      if (buffer.length >= 1000) await flush();
    }
    await flush();
  } finally {
    await fh.close();
  }
  return counts;
};

/**
 * Apply a study's transforms to every torchtune file of an export folder, in place: each file is rewritten
 * beside itself and renamed over it, then the manifest records the new rows, bytes and hashes and, under
 * `transforms`, what was done (rows stripped, dropped, truncated). Parquet files keep the untouched traces.
 */
export const transformExport = async (dir: string, t: ExportTransforms): Promise<TransformRecord> => {
  if (t.overlong !== 'keep' && !t.tokenizer)
    throw new ValleyError(
      'bad_input',
      `Dropping or truncating rows longer than ${t.maxSeqLen} tokens needs the student’s tokenizer`,
      { field: 'tokenizers' },
    );
  const manifestPath = join(dir, MANIFEST);
  const { manifest, raw } = await readManifestFile(manifestPath);
  const record: TransformRecord = {
    stripThink: t.stripThink,
    overlong: t.overlong,
    maxSeqLen: t.overlong === 'keep' ? null : t.maxSeqLen,
    tokenizer: t.tokenizer
      ? { student: t.tokenizer.student, path: t.tokenizer.path, sha256: t.tokenizer.sha256 }
      : null,
    files: [],
  };
  for (const f of manifest.files) {
    if (f.format !== 'torchtune') continue;
    const src = join(dir, f.path);
    const tmp = `${src}.transform`;
    try {
      const counts = await transformFile(src, tmp, t);
      await rename(tmp, src);
      record.files.push({ ...counts, path: f.path });
      Object.assign(f, { rows: counts.rowsOut, sha256: await sha256File(src), bytes: (await stat(src)).size });
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
  await writeFile(manifestPath, JSON.stringify({ ...raw, files: manifest.files, transforms: record }, null, 2) + '\n');
  return record;
};
