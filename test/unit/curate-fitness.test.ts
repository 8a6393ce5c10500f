import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../helpers/refusal';
import { startTestBackend, type TestBackend } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';

describe('nothing unfit for training is saved as a subset or exported', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
    // rows 0–29: 6 with the '-' placeholder, 3 with an empty response, 2 with a blank prompt
    await writeOcr2(join(t.dir, 'unfit.jsonl'), 30, (i) => ({
      ...(i % 5 === 1 ? { question: '-' } : {}),
      ...(i % 10 === 4 ? { r1_generation: '' } : {}),
      ...(i === 7 || i === 17 ? { question: '  \n' } : {}),
      difficulty: ['easy', 'Medium', 'HARD', 'MEDIUM_HARD'][i % 4],
      dataset: 'nowhere',
    }));
    await t.call('data.import', { paths: [join(t.dir, 'unfit.jsonl')], name: 'unfit', wait: true });
  });
  afterAll(async () => t.close());

  it('refuses a subset holding unfit rows with the count, three example row ids and the fix', async () => {
    const e = await refusal(
      t.call('curate.subsets.save', { name: 'all', spec: { dataset: 'unfit', sizes: [30], seed: 1 } }),
    );
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('11 rows are not fit for training');
    expect(e.message).toContain("6 with the prompt '-'");
    expect(e.message).toContain('2 with an empty prompt');
    expect(e.message).toContain('3 with an empty response');
    expect(e.message).toContain('ready-for-training');
    const examples = e.details?.['examples'] as number[];
    expect(examples).toHaveLength(3);
    expect(e.message).toContain(`row ids ${examples.join(', ')}`);
    const bad = await t.call('sql.query', {
      sql: `SELECT row_id FROM ds_unfit WHERE question IN ('-', '  \n') OR response = ''`,
    });
    expect(bad.rows.map((r) => Number(r[0]))).toEqual(expect.arrayContaining(examples));
    expect((await t.call('curate.subsets.list', {})).subsets).toHaveLength(0);
  });

  it('the one-click "ready for training" partition leaves exactly those rows out, and its export is clean', async () => {
    const p = await t.call('curate.partitions.presets', { dataset: 'unfit', preset: 'training' });
    expect(p.partitions.map((x) => [x.name, x.size])).toEqual([['ready-for-training', 19]]);
    await t.call('curate.subsets.save', {
      name: 'ready',
      spec: { dataset: 'unfit', partition: 'ready-for-training', sizes: [10, 19], seed: 1 },
    });
    const r = await t.call('curate.export', { subset: 'ready', formats: ['torchtune'], wait: true });
    const lines = readFileSync(join(r.dir, 'train-19.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(19);
    for (const l of lines) {
      const [user, assistant] = (JSON.parse(l) as { messages: { content: string }[] }).messages;
      expect(user?.content.trim()).not.toMatch(/^-?$/);
      expect(assistant?.content.trim()).not.toBe('');
    }
  });

  it('refuses an export of a subset whose rows became unfit since it was saved', async () => {
    await t.call('curate.subsets.save', {
      name: 'fine',
      spec: { dataset: 'unfit', partition: 'ready-for-training', sizes: [19], seed: 2 },
    });
    const ids = (await t.call('curate.subsets.ids', { name: 'fine', size: 19 })).rowIds;
    // the partition now admits everything: the saved recipe draws unfit rows again
    await t.call('curate.partitions.save', { name: 'ready-for-training', dataset: 'unfit', replace: true });
    const e = await refusal(t.call('curate.export', { subset: 'fine', formats: ['torchtune'], wait: true }));
    expect(e.message).toMatch(/^Export of subset "fine": \d+ rows? (is|are) not fit for training/);
    expect(ids).toHaveLength(19);
  });

  it('difficulty presets compare case-insensitively and make MEDIUM_HARD an explicit choice', async () => {
    const e = await refusal(t.call('curate.partitions.presets', { dataset: 'unfit', preset: 'difficulty' }));
    expect(e.message).toContain('MEDIUM_HARD (7 rows) is in neither group');
    const before = (await t.call('curate.partitions.list', { dataset: 'unfit' })).partitions.map((p) => p.name);
    expect(before).not.toContain('easy');
    const d = await t.call('curate.partitions.presets', {
      dataset: 'unfit',
      preset: 'difficulty',
      groups: { easy: ['EASY', 'MEDIUM'], hard: ['HARD', 'VERY_HARD', 'medium_hard'], none: [] },
    });
    expect(d.partitions.map((p) => [p.name, p.size, p.description])).toEqual([
      ['easy', 16, 'Medium + easy'],
      ['hard', 14, 'HARD + MEDIUM_HARD'],
    ]);
    const none = await refusal(
      t.call('curate.partitions.presets', {
        dataset: 'unfit',
        preset: 'difficulty',
        groups: { easy: ['trivial'], hard: ['HARD'], none: ['easy', 'medium', 'medium_hard'] },
      }),
    );
    expect(none.message).toContain('No rows have a difficulty in the easy group');
    expect(
      (await t.call('curate.partitions.list', { dataset: 'unfit' })).partitions.find((p) => p.name === 'easy')?.size,
    ).toBe(16);
  });
});
