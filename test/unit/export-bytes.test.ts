import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';

/** Texts a JSON writer must escape, and text it must leave alone. */
const tricky = [
  'a "quoted" word, a comma | and a backslash \\ here',
  'control \u0001 and \u001f and a tab\there',
  'lines\r\nwith CRLF\nand LF',
  'unicode: é 中文 🙂 and U+2028 \u2028 here',
  '  leading and trailing spaces  ',
  '<think>\nreasoning\n</think>\n```python\nprint("x")\n```',
];

describe('torchtune JSONL bytes', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
    await writeOcr2(join(t.dir, 'tricky.jsonl'), 60, (i) => ({
      question: `Problem ${i}: ${tricky[i % tricky.length] ?? ''}`,
      r1_generation: `<think>${tricky[(i + 1) % tricky.length] ?? ''}</think>answer ${i}`,
      dataset: 'nowhere',
    }));
    await t.call('data.import', { paths: [join(t.dir, 'tricky.jsonl')], name: 'tricky', wait: true });
    await t.call('curate.subsets.save', { name: 'tk', spec: { dataset: 'tricky', sizes: [40], seed: 9 } });
  });
  afterAll(async () => t.close());

  it("are exactly what DuckDB's own JSON writer writes for the messages, in the subset's order", async () => {
    const r = await t.call('curate.export', {
      subset: 'tk',
      formats: ['torchtune'],
      outDir: join(t.dir, 'out'),
      wait: true,
    });
    const ids = (await t.call('curate.subsets.ids', { name: 'tk', size: 40 })).rowIds;
    const reference = join(t.dir, 'reference.jsonl');
    const order = ids.map((id, k) => `(${id}, ${k})`).join(', ');
    await t.backend.services.workspace.engine.run(
      `COPY (SELECT [{'role': 'user', 'content': question}, {'role': 'assistant', 'content': response}] AS messages
               FROM ds_tricky r JOIN (VALUES ${order}) o(rid, k) ON r.row_id = o.rid ORDER BY o.k)
         TO '${reference}' (FORMAT JSON)`,
    );
    const written = readFileSync(join(r.dir, 'train-40.jsonl'));
    expect(written.equals(readFileSync(reference))).toBe(true);
    // and each line reads back as the row's texts
    const lines = written.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(40);
    const first = JSON.parse(lines[0] as string) as { messages: { role: string; content: string }[] };
    const row = await t.call('traces.get', { dataset: 'tricky', rowId: ids[0] as number });
    expect(first.messages).toEqual([
      { role: 'user', content: row.question },
      { role: 'assistant', content: row.response },
    ]);
    expect(tricky.some((x) => lines.join('\n').includes(JSON.stringify(x).slice(1, -1)))).toBe(true);
  });
});
