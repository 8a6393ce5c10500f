import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';
import { searchIndexFor } from '../../electron/services/traces/search-index';
import { getDataset } from '../../electron/services/data/registry';
import { foregroundOf } from '../../electron/services/engine/foreground';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };

/** Texts with mixed case, punctuation, code and non-ASCII letters, so substrings cross word boundaries. */
const over = (i: number) => ({
  question: `Problem ${i % 13}: Given N (N ≤ 10^${i % 6}) find the Σ of a_i — café #${i % 7}`,
  r1_generation: `<think>\nCase ${i % 17}: try x_${i % 5} = max(a, b) + ${i};\nÉtat naïve${i % 3 ? '' : ' HASHMAP'}\n</think>\n\`\`\`python\nprint(sum(map(int, input().split())) * ${i % 9})\n\`\`\`\n`,
});

beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-search-');
  await writeOcr2(join(files.dir, 'a.jsonl'), 1500, over);
  await mkdir(join(files.dir, 'shards'));
  for (const part of [0, 1, 2]) {
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT * FROM read_json('${join(files.dir, 'a.jsonl')}') WHERE TRY_CAST("index" AS INT) % 3 = ${part})
        TO '${join(files.dir, 'shards', `train-0000${part}.parquet`)}' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)`,
    );
  }
  await t.call('data.import', { paths: [join(files.dir, 'a.jsonl')], name: 'tbl', wait: true });
  await t.call('data.import', { paths: [join(files.dir, 'shards')], name: 'view', storage: 'view', wait: true });
});
afterAll(async () => {
  await t?.close();
  await files?.cleanup();
});

const engine = () => t.backend.services.workspace.engine;
const built = async (name: string) => {
  const d = await getDataset(engine(), name);
  if (!d) throw new Error(name);
  await searchIndexFor(engine()).whenBuilt(d);
};

/** What ILIKE says, straight on the relation: the row ids matching every word in the question or the response. */
const ilikeIds = async (relation: string, search: string): Promise<number[]> => {
  const esc = (w: string) => `'%${w.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll("'", "''")}%'`;
  const where = search
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `(question ILIKE ${esc(w)} ESCAPE '\\' OR response ILIKE ${esc(w)} ESCAPE '\\')`)
    .join(' AND ');
  const r = await t.call('sql.query', {
    sql: `SELECT row_id FROM ${relation} WHERE ${where} ORDER BY row_id`,
    limit: 100_000,
  });
  return r.rows.map((x) => Number(x[0]));
};

const valleyIds = async (dataset: string, search: string): Promise<number[]> => {
  const w = await t.call('traces.window', { dataset, filter: { search }, start: 0, limit: 2000 });
  const count = await t.call('traces.count', { dataset, filter: { search } });
  expect(count.total).toBe(w.total);
  return w.rows.map((r) => r.rowId).sort((a, b) => a - b);
};

/** Random substrings of random rows' texts (any characters), a few words absent everywhere, and fixed tricky ones. */
const searches = async (): Promise<string[]> => {
  const texts = await t.call('sql.query', {
    sql: 'SELECT question || response FROM ds_tbl USING SAMPLE 40 ROWS (reservoir, 7)',
  });
  let seed = 11;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const out = [
    'case',
    'CASE 1',
    'hashmap',
    'x_3',
    'a_i',
    'naïve',
    'état',
    'café #3',
    '10^4',
    '(n',
    'max(a,',
    'print(sum',
    '1',
    '12',
    'zzzqqq',
    'σ',
    '—',
    '%',
    '_',
    'Problem 1 Case 16',
  ];
  for (const [text] of texts.rows as [string][]) {
    const len = 1 + rand(9);
    const at = rand(Math.max(1, text.length - len));
    const piece = text.slice(at, at + len).trim();
    if (piece) out.push(piece.split(/\s+/)[0] as string);
  }
  return out;
};

describe('search through the word index', () => {
  it('returns exactly the rows ILIKE returns, on a table and on a Parquet view', async () => {
    await built('tbl');
    await built('view');
    expect((await t.call('traces.facets', { dataset: 'tbl' })).searchIndex).toBe('ready');
    expect((await t.call('sql.query', { sql: 'SELECT count(*) > 50 FROM dsv_tbl' })).rows[0]).toEqual([true]);
    for (const search of await searches()) {
      const want = await ilikeIds('ds_tbl', search);
      expect(await valleyIds('tbl', search), search).toEqual(want);
      expect(await valleyIds('view', search), `view: ${search}`).toEqual(await ilikeIds('ds_view', search));
      expect(want.length, search).toBe((await ilikeIds('ds_view', search)).length);
    }
  });

  it('answers a word from the postings alone, without reading the texts', async () => {
    const d = await getDataset(engine(), 'view');
    if (!d) throw new Error('view');
    const sql = await searchIndexFor(engine()).matchesSql(d, 'HashMap', () => 'false');
    expect(sql).not.toMatch(/ds_view|ILIKE/);
    // a word with punctuation: candidates from its word runs, then checked with ILIKE on those rows
    expect(await searchIndexFor(engine()).matchesSql(d, 'max(a,', (w) => `question ILIKE '%${w}%'`)).toMatch(
      /INTERSECT[\s\S]*ILIKE/,
    );
    // nothing to look up: the scan answers
    expect(await searchIndexFor(engine()).matchesSql(d, '—', () => 'false')).toBeNull();
  });

  it('drops the index with its dataset, and scans until a new one is built', async () => {
    await writeOcr2(join(files.dir, 'b.jsonl'), 300, over);
    const r = await t.call('data.import', { paths: [join(files.dir, 'b.jsonl')], name: 'late', wait: true });
    const d = r.result?.dataset;
    if (!d) throw new Error('late');
    // right after the import the index is being built: the search scans and says so
    const state = (await t.call('traces.facets', { dataset: 'late', filter: { search: 'hashmap' } })).searchIndex;
    expect(['building', 'ready']).toContain(state);
    expect(await valleyIds('late', 'hashmap')).toEqual(await ilikeIds('ds_late', 'hashmap'));
    await built('late');
    expect(await valleyIds('late', 'case 1')).toEqual(await ilikeIds('ds_late', 'case 1'));
    await t.call('data.drop', { name: 'late' });
    const left = await t.call('sql.query', {
      sql: "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('dsv_late', 'dsw_late', 'dsq_late')",
    });
    expect(left.rows[0]).toEqual([0]);
  });

  it('gives way to foreground work (an export, a subset): no step runs while one does, the same index after', async () => {
    const gate = foregroundOf(engine());
    let release = () => {};
    const held = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    const r = await t.call('data.import', { paths: [join(files.dir, 'a.jsonl')], name: 'held', wait: true });
    const d = r.result?.dataset;
    if (!d) throw new Error('held');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // 1500 rows: two tokenizing steps, then the vocabulary and the postings; none has run
    expect((await t.call('traces.facets', { dataset: 'held' })).searchIndex).toBe('building');
    const tmp = await t.call('sql.query', {
      sql: "SELECT table_name FROM information_schema.tables WHERE table_name IN ('dsv_held', 'dsw_held')",
    });
    expect(tmp.rows).toEqual([]);
    release();
    await held;
    // foreground work coming and going during the build: interrupted steps run again, nothing counted twice
    const busy = (async () => {
      for (let i = 0; i < 20; i++) {
        await gate.run(() => new Promise((resolve) => setTimeout(resolve, 15)));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await built('held');
    await busy;
    expect((await t.call('traces.facets', { dataset: 'held' })).searchIndex).toBe('ready');
    for (const search of ['hashmap', 'case 1', 'café #3', 'x_3']) {
      expect(await valleyIds('held', search), search).toEqual(await ilikeIds('ds_held', search));
    }
    const dup = await t.call('sql.query', {
      sql: 'SELECT count(*) - count(DISTINCT (tok_id, row_id)) FROM dsw_held',
    });
    expect(dup.rows[0]).toEqual([0]);
  });

  it('counts a click (a page, a trace, the facets) as foreground work, and resumes a build only after a pause', async () => {
    const gate = foregroundOf(engine());
    const seen: boolean[] = [];
    const off = gate.onBusy(() => seen.push(true));
    const page = await t.call('traces.page', { dataset: 'view', limit: 5 });
    await t.call('traces.get', { dataset: 'view', rowId: Number(page.rows[0]?.rowId ?? 0) });
    await t.call('traces.facets', { dataset: 'view' });
    off();
    expect(seen.length).toBe(3);
    // quiet(ms) waits for ms without foreground work after the last one ended
    await gate.run(() => new Promise((resolve) => setTimeout(resolve, 5)));
    const ended = performance.now();
    await gate.quiet(300);
    expect(performance.now() - ended).toBeGreaterThanOrEqual(295);
  });

  it('tells every client when an index is ready (workspace.changed "indexes"), so the screen stops polling', async () => {
    const heard: string[] = [];
    const off = t.backend.services.bus.subscribe((name, payload) => {
      if (name === 'workspace.changed') heard.push((payload as { what: string }).what);
    });
    await t.call('data.import', { paths: [join(files.dir, 'a.jsonl')], name: 'told', wait: true });
    await built('told');
    off();
    expect(heard).toContain('indexes');
    expect((await t.call('traces.facets', { dataset: 'told' })).searchIndex).toBe('ready');
  });

  it("reads a trace's siblings from the question table once built: the same rows as the scan", async () => {
    for (const [name, relation] of [
      ['tbl', 'ds_tbl'],
      ['view', 'dsx_view'],
    ]) {
      await built(name as string);
      const sorted = await t.call('sql.query', { sql: `SELECT count(*) FROM dsq_${name}` });
      expect(sorted.rows[0]).toEqual([1500]);
      for (const rowId of [0, 7, 733, 1499]) {
        const detail = await t.call('traces.get', { dataset: name as string, rowId });
        const plain = await t.call('sql.query', {
          sql: `SELECT row_id, correct FROM ${relation} WHERE question_id = (SELECT question_id FROM ${relation} WHERE row_id = ${rowId})
                  AND row_id <> ${rowId} ORDER BY row_id LIMIT 50`,
        });
        expect(detail.siblings.map((x) => [x.rowId, x.correct])).toEqual(plain.rows.map((r) => [Number(r[0]), r[1]]));
        expect(detail.siblings.length).toBe(50);
      }
    }
  });
});
