import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExports } from '../../electron/services/cluster/exports';
import { resolveData } from '../../electron/services/cluster/plan-data';
import { checkExportTarget } from '../../electron/services/curate/export-target';
import { readManifest } from '../../electron/services/curate/manifest';
import { transformExport } from '../../electron/services/study/transforms';
import { refusal } from '../helpers/refusal';
import { tempDir } from '../helpers/workspace';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('valley-manifest-')));
afterAll(async () => cleanup());

const line = JSON.stringify({
  messages: [
    { role: 'user', content: 'q' },
    { role: 'assistant', content: 'a' },
  ],
});
const manifestOf = (sha256: unknown) => ({
  valley: '0.1.0',
  recipe: {
    subset: 'tiny',
    spec: {
      dataset: 'ocr2',
      partition: 'correct',
      filter: {},
      sizes: [2],
      seed: 7,
      stratify: null,
      maxPerQuestion: null,
    },
    source: { dataset: 'ocr2', relation: 'ds_ocr2', rows: 10, files: [] },
    partition: null,
  },
  files: [{ path: 'train-2.jsonl', format: 'torchtune', size: 2, rows: 2, bytes: 2 * line.length + 2, sha256 }],
});

/** An export folder under exports/ holding train-2.jsonl and the given manifest text. */
const exportFolder = (name: string, manifestText: string): string => {
  const d = join(dir, 'exports', name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'train-2.jsonl'), `${line}\n${line}\n`);
  writeFileSync(join(d, 'manifest.json'), manifestText);
  return d;
};

describe('an export manifest, read by every reader through one function', () => {
  it('reads a good manifest the same everywhere, the run label hashing its bytes', async () => {
    const good = exportFolder('good', JSON.stringify(manifestOf('ab'.repeat(32)), null, 2));
    const [item] = await resolveData([good]);
    expect(item).toMatchObject({ subset: 'tiny', size: 2, rows: 2, partition: 'correct', subsetSeed: 7 });
    expect(item?.manifestSha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(good, 'manifest.json')))
        .digest('hex'),
    );
    expect((await readManifest(good)).recipe.subset).toBe('tiny');
    expect(checkExportTarget(good, true).sort()).toEqual([join(good, 'manifest.json'), join(good, 'train-2.jsonl')]);
    expect(await listExports(dir)).toEqual([{ dir: good, subset: 'tiny', sizes: [2] }]);
  });

  it('refuses a bad manifest naming the file and the field, and never offers it', async () => {
    const bad = exportFolder('bad', JSON.stringify(manifestOf(42)));
    const path = join(bad, 'manifest.json');
    const errors = [
      await refusal(resolveData([bad])),
      await refusal(readManifest(bad)),
      await refusal(transformExport(bad, { stripThink: true, overlong: 'keep', maxSeqLen: 0, tokenizer: null })),
    ];
    for (const e of errors) {
      expect(e.code).toBe('bad_input');
      expect(e.message).toMatch(`${path} is not a Valley export manifest: files.0.sha256:`);
      expect(e.details).toMatchObject({ file: path, field: 'files.0.sha256' });
    }
    // the transform refused before touching the data
    expect(readFileSync(join(bad, 'train-2.jsonl'), 'utf8')).toBe(`${line}\n${line}\n`);
    const notJson = exportFolder('not-json', '{"valley": ');
    const e = await refusal(resolveData([notJson]));
    expect(e.message).toMatch(`${join(notJson, 'manifest.json')} is not a Valley export manifest: not JSON`);
    // an export target holding a bad manifest is not Valley's to replace
    expect((await refusal(Promise.resolve().then(() => checkExportTarget(bad, true)))).code).toBe('conflict');
    expect((await listExports(dir)).map((x) => x.dir)).toEqual([join(dir, 'exports', 'good')]);
  });
});
