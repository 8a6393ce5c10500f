import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../helpers/refusal';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

const MATH500 = join(__dirname, '../../../shared/data/traces/r1-math500');
const real = existsSync(MATH500);
if (!real) console.warn(`partition stats: the real MATH-500 traces part skipped, ${MATH500} is absent`);

/**
 * curate.partitions.stats counts every partition of a dataset in one grouped query; each partition's result must be
 * what the histograms show for that partition alone (traces.facets, one query per facet).
 */
describe('partition stats in one query per dataset', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 300 });
  });
  afterAll(async () => t.close());

  it('equal the per-partition histograms and sizes, across datasets, marks, SQL clauses and an empty partition', async () => {
    const demo = 'demo-ocr2';
    const names: string[] = [];
    const datasetOf = new Map<string, string>();
    const add = (dataset: string, created: { partitions: { name: string }[] }) =>
      created.partitions.forEach((p) => (names.push(p.name), datasetOf.set(p.name, dataset)));
    add(
      demo,
      await t.call('curate.partitions.presets', {
        dataset: demo,
        preset: 'difficulty',
        groups: { easy: ['EASY'], hard: ['MEDIUM_HARD', 'HARD', 'VERY_HARD'], none: ['MEDIUM', 'UNKNOWN_DIFFICULTY'] },
      }),
    );
    const short = await t.call('curate.partitions.save', {
      name: 'short',
      dataset: demo,
      filter: { clauses: [{ op: 'range', column: 'tokens', max: 300 }] },
    });
    await t.call('curate.marks.set', { partition: 'short', rowIds: [1, 2, 3], mark: 'exclude' });
    const long = Number(
      (await t.call('sql.query', { sql: 'SELECT min(row_id) FROM ds_demo_ocr2 WHERE tokens > 300' })).rows[0]?.[0],
    );
    await t.call('curate.marks.set', { partition: 'short', rowIds: [long], mark: 'include' });
    add(demo, { partitions: [short] });
    const picked = await t.call('curate.partitions.save', { name: 'picked', dataset: demo, matchAll: false });
    await t.call('curate.marks.set', { partition: 'picked', rowIds: [5, 8, 13, 21], mark: 'include' });
    add(demo, { partitions: [picked] });
    add(demo, {
      partitions: [
        await t.call('curate.partitions.save', {
          name: 'sql-cut',
          dataset: demo,
          filter: { clauses: [{ op: 'sql', where: "source <> 'taco' AND pass_rate > 0.3" }] },
        }),
        await t.call('curate.partitions.save', {
          name: 'nothing',
          dataset: demo,
          filter: { clauses: [{ op: 'range', column: 'tokens', min: -2, max: -1 }] },
        }),
      ],
    });
    if (real) {
      for (const [file, name] of [
        ['math500_deepseek_r1.jsonl', 'r1'],
        ['pilot_math500_qwen7b.jsonl', 'qwen7b'],
      ] as const) {
        await t.call('data.import', { paths: [join(MATH500, file)], name, wait: true });
        const made = await t.call('curate.partitions.presets', {
          dataset: name,
          preset: 'correctness',
          replace: false,
        });
        // the presets' names are shared: rename each dataset's pair
        for (const p of made.partitions) {
          const renamed = await t.call('curate.partitions.rename', { name: p.name, to: `${name}-${p.name}` });
          add(name, { partitions: [renamed] });
        }
      }
    }
    // mixed datasets, not in creation order
    const asked = [...names].reverse();
    const { stats } = await t.call('curate.partitions.stats', { names: asked });
    expect(stats.map((s) => s.name)).toEqual(asked);
    const sizes = new Map((await t.call('curate.partitions.list', {})).partitions.map((p) => [p.name, p.size]));
    for (const s of stats) {
      const alone = await t.call('traces.facets', {
        dataset: datasetOf.get(s.name) as string,
        filter: { partition: s.name },
      });
      expect({ name: s.name, size: s.size, facets: s.facets }).toEqual({
        name: s.name,
        size: alone.total,
        facets: alone.facets,
      });
      expect(s.size).toBe(sizes.get(s.name));
    }
    const bySize = new Map(stats.map((s) => [s.name, s.size]));
    expect(bySize.get('nothing')).toBe(0);
    expect(bySize.get('picked')).toBe(4);
    expect(stats.find((s) => s.name === 'nothing')?.facets.every((f) => f.bins.every((b) => b.count === 0))).toBe(true);
    if (real) expect((bySize.get('r1-correct') ?? 0) + (bySize.get('r1-incorrect') ?? 0)).toBe(20);
  });

  it('refuses a partition that does not exist, by name', async () => {
    await t.call('curate.partitions.save', { name: 'there', dataset: 'demo-ocr2' });
    const e = await refusal(t.call('curate.partitions.stats', { names: ['there', 'no-such'] }));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('"no-such"');
  });
});
