import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripThink } from '../../shared/domain/study-transforms';
import { loadStudentTokenizer, transformExport } from '../../electron/services/study/transforms';
import { tempDir } from '../helpers/workspace';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('valley-study-transforms-')));
afterAll(async () => cleanup());

/** A word-level tokenizer.json (every whitespace-separated word one token), optionally with `<think>` as an added token. */
const writeTokenizer = async (name: string, thinkToken: boolean): Promise<string> => {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const words = ['[UNK]', 'q', 'a', 'b', 'c', 'answer', 'x'];
  await writeFile(
    join(folder, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      normalizer: null,
      post_processor: null,
      added_tokens: thinkToken
        ? [
            {
              id: 7,
              content: '<think>',
              single_word: false,
              lstrip: false,
              rstrip: false,
              normalized: false,
              special: true,
            },
          ]
        : [],
      pre_tokenizer: { type: 'Whitespace' },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
      model: { type: 'WordLevel', vocab: Object.fromEntries(words.map((w, i) => [w, i])), unk_token: '[UNK]' },
    }),
  );
  return folder;
};

const chat = (q: string, a: string) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: q },
      { role: 'assistant', content: a },
    ],
  }) + '\n';

describe('stripping think tags', () => {
  it('keeps the answer after </think>, handles a lone closing tag, and reports an unclosed reasoning', () => {
    expect(stripThink('<think>\nlet me see\n</think>\n\nThe answer is `x`.')).toEqual({
      text: 'The answer is `x`.',
      outcome: 'stripped',
    });
    expect(stripThink('reasoning without an opening tag</think>answer')).toEqual({
      text: 'answer',
      outcome: 'stripped',
    });
    expect(stripThink('plain answer')).toEqual({ text: 'plain answer', outcome: 'no-tags' });
    expect(stripThink('<think>never closed')).toEqual({ text: '', outcome: 'unclosed' });
  });
});

describe('export transforms', () => {
  const writeExport = async (name: string, rows: string[]): Promise<string> => {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    const text = rows.join('');
    await writeFile(join(folder, 'train-4.jsonl'), text);
    const manifest = {
      valley: 'test',
      recipe: {
        subset: 's',
        spec: {
          dataset: 'd',
          partition: null,
          filter: { clauses: [], search: '', partition: null },
          sizes: [4],
          seed: 0,
          stratify: null,
          maxPerQuestion: null,
        },
        source: { dataset: 'd', relation: 'ds_d', rows: 4, files: [] },
        partition: null,
      },
      files: [
        {
          path: 'train-4.jsonl',
          format: 'torchtune',
          size: 4,
          rows: rows.length,
          bytes: Buffer.byteLength(text),
          sha256: createHash('sha256').update(text).digest('hex'),
        },
      ],
    };
    await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
    return folder;
  };
  const rowsOf = (folder: string) =>
    readFileSync(join(folder, 'train-4.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { messages: { content: string }[] });

  it('strips think tags and drops rows longer than max_seq_len under the student’s tokenizer, recording both in the manifest', async () => {
    const tok = await loadStudentTokenizer(await writeTokenizer('tok', false));
    expect(tok.thinkTokens).toEqual([]);
    const folder = await writeExport('drop', [
      chat('q', '<think> a b c a b c a b c </think> answer'),
      chat('q', '<think> a </think> answer x'),
      chat('q', '<think> never closed'),
      chat('q', 'answer ' + 'a '.repeat(30)),
    ]);
    // 16 template tokens + q + answer tokens ≤ 20 → answers of up to 3 tokens fit
    const record = await transformExport(folder, {
      stripThink: true,
      overlong: 'drop',
      maxSeqLen: 20,
      tokenizer: { ...tok, student: 'S' },
    });
    expect(record.files[0]).toMatchObject({
      rowsIn: 4,
      rowsOut: 2,
      thinkStripped: 2,
      noThinkTags: 1,
      unclosedDropped: 1,
      overlongDropped: 1,
      truncated: 0,
    });
    expect(rowsOf(folder).map((r) => r.messages[1]?.content)).toEqual(['answer', 'answer x']);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
      files: { rows: number; sha256: string; bytes: number }[];
      transforms: { tokenizer: { sha256: string } };
    };
    const written = readFileSync(join(folder, 'train-4.jsonl'));
    expect(manifest.files[0]).toMatchObject({
      rows: 2,
      bytes: written.byteLength,
      sha256: createHash('sha256').update(written).digest('hex'),
    });
    expect(manifest.transforms.tokenizer.sha256).toBe(tok.sha256);
  });

  it('truncates overlong answers to fit, keeping the think tags when not asked to strip them', async () => {
    const tok = await loadStudentTokenizer(await writeTokenizer('tok2', false));
    const folder = await writeExport('truncate', [chat('q', 'a b c a b c a b c'), chat('q', 'a b')]);
    const record = await transformExport(folder, {
      stripThink: false,
      overlong: 'truncate',
      maxSeqLen: 21,
      tokenizer: { ...tok, student: 'S' },
    });
    expect(record.files[0]).toMatchObject({ rowsIn: 2, rowsOut: 2, truncated: 1, overlongDropped: 0, maxTokens: 21 });
    const [first] = rowsOf(folder);
    expect(tok.ids(first?.messages[1]?.content ?? '')).toHaveLength(4);
  });

  it('finds <think> among a tokenizer’s special tokens (the study’s precondition) and refuses dropping rows without a tokenizer', async () => {
    const tok = await loadStudentTokenizer(await writeTokenizer('think', true));
    expect(tok.thinkTokens).toEqual(['<think>']);
    const folder = await writeExport('none', [chat('q', 'a')]);
    await expect(
      transformExport(folder, { stripThink: false, overlong: 'drop', maxSeqLen: 20, tokenizer: null }),
    ).rejects.toThrow(/needs the student’s tokenizer/);
  });
});
