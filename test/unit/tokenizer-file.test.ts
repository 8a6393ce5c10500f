import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../electron/services/data/import/tokens';
import { loadStudentTokenizer } from '../../electron/services/study/transforms';
import { refusal } from '../helpers/refusal';
import { bpeTokenizerJson } from '../helpers/tokenizer';
import { tempDir } from '../helpers/workspace';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('valley-tokenizer-')));
afterAll(async () => cleanup());

const tokenizerJson = bpeTokenizerJson(['<think>']);

const folder = (name: string, files: Record<string, string>): string => {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
};

describe('a local tokenizer, loaded the same way for token counts and study transforms', () => {
  it('loads tokenizer.json from its folder, the config beside it giving the added tokens', async () => {
    const d = folder('good', { 'tokenizer.json': tokenizerJson, 'tokenizer_config.json': '{}' });
    expect((await loadTokenizer(d)).count('abc ab a')).toBe(3);
    const student = await loadStudentTokenizer(d);
    expect(student.path).toBe(join(d, 'tokenizer.json'));
    expect(student.ids('abc ab')).toEqual([5, 4]);
    expect(student.thinkTokens).toEqual(['<think>']);
  });

  it('refuses a missing file, bad JSON (the config too) and a JSON that is not a tokenizer, naming the file', async () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['missing', {}, 'tokenizer.json', 'does not exist'],
      ['bad-json', { 'tokenizer.json': '{"version": ' }, 'tokenizer.json', 'is not valid JSON'],
      [
        'bad-config',
        { 'tokenizer.json': tokenizerJson, 'tokenizer_config.json': '{,}' },
        'tokenizer_config.json',
        'is not valid JSON',
      ],
      ['not-tokenizer', { 'tokenizer.json': '{"model": {"type": "Nope"}}' }, 'tokenizer.json', 'is not a tokenizer'],
    ];
    for (const [name, files, culprit, says] of cases) {
      const d = folder(name, files);
      const file = join(d, culprit);
      const counting = await refusal(loadTokenizer(d));
      expect(counting.message, name).toContain(`${file}`);
      expect(counting.message, name).toContain(says);
      expect(counting.details, name).toEqual({ file });
      const study = await refusal(loadStudentTokenizer(d));
      expect(study.message, name).toBe(counting.message);
      expect(study.details, name).toEqual({ file, field: 'tokenizers' });
    }
  });
});
