import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValleyError } from '../../shared/api';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

describe('preview past bad lines (real DuckDB)', () => {
  let t: TestBackend;
  let file: string;
  beforeAll(async () => {
    t = await startTestBackend();
    file = join(t.dir, '..', 'bad-line-3.jsonl');
    const row = (i: number) =>
      JSON.stringify({ id: `r${i}`, question: `Q${i}`, r1_generation: `<think>t${i}</think>code`, pass_rate: 1 });
    writeFileSync(file, [row(1), row(2), '{"id": "r3", "question": "broken', row(4), row(5)].join('\n') + '\n');
  });
  afterAll(async () => t?.close());

  it('refuses the preview naming line 3, and previews the good rows with skipBadLines', async () => {
    const refused = await t.call('data.preview', { paths: [file] }).then(
      () => null,
      (e: unknown) => e as ValleyError,
    );
    expect(refused).toBeInstanceOf(ValleyError);
    expect(refused?.details?.line).toBe(3);
    const preview = await t.call('data.preview', { paths: [file], skipBadLines: true, rows: 10 });
    expect(preview.sample.map((r) => r['id'])).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(preview.roles.response).toBe('r1_generation');
  });
});
