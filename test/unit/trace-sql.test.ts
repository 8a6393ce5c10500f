import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../electron/services/engine/duckdb';
import type { Engine } from '../../electron/services/engine/engine';
import { parsedTraces } from '../../electron/services/data/import/trace-sql';
import { charCount, estimateTokens, parseTrace } from '../../shared/domain/trace';
import { seededRandom } from '../../shared/domain/random';

/** The SQL trace parser used at import must say exactly what shared/domain/trace.ts says. */
let engine: Engine;
beforeAll(async () => {
  engine = await openDuckDb(':memory:');
});
afterAll(async () => {
  await engine.close();
});

const tricky = [
  '',
  'plain answer, no tags',
  '<think>reasoning</think>answer',
  '<think>never closed ```py\ncode\n```',
  '</think> closed before <think> opened',
  'a</think>b</think>c',
  '<think><think>double open</think>',
  '```',
  '```python\n```',
  '```python\nprint(1)\n```',
  '```a```\n```b```',
  'x\n````py\na\n\nb\n``` ```\nz',
  '```\n```\n```',
  'text\n```py\nfirst\n```\nmore\n```py\nsecond\nblock\n```\ntrailing',
  '<think>\n```py\ninside think\n```\n</think>\n```py\nfinal\n```',
  'crlf\r\n```py\r\ncode\r\n```\r\n',
  '🦆<think>🦆🦆</think>🦆 ```\n🦆\n```',
  'combining e\u0301 and CJK 漢字 <think>é</think>😀😀',
  '\n\n```\n\n```\n\n',
  'tab\t```\tx\n\t```',
  // the answer is split first: its fences alone, too few of them, or fences sharing a line with the tag
  '<think>\n```\na\n```\n</think>\n```\nb',
  '<think>\n```\na\n</think>\n```',
  '```\nx</think>```\ny\n```',
  '<think>r</think>```\n```',
  'no open</think>\n```py\nz\n```\n',
  '```</think>\ncode\n```',
];

const fragments = ['<think>', '</think>', '```', '```py', '\n', 'code', '🦆', ' ', 'é', '`', '``', 'x\ny', '\r\n'];

const fuzz = (n: number): string[] => {
  const rand = seededRandom(42);
  return Array.from({ length: n }, () =>
    Array.from({ length: Math.floor(rand() * 14) }, () => fragments[Math.floor(rand() * fragments.length)]).join(''),
  );
};

describe('trace parsing in SQL agrees with parseTrace', () => {
  it('on tricky and fuzzed traces', async () => {
    const traces = [...tricky, ...fuzz(400)];
    await engine.run(
      `CREATE OR REPLACE TABLE t AS SELECT * FROM (SELECT unnest(from_json($j, '["VARCHAR"]')) AS response, generate_subscripts(from_json($j, '["VARCHAR"]'), 1) AS i)`,
      {
        j: JSON.stringify(traces),
      },
    );
    const rows = await engine.all(`${parsedTraces('SELECT i, response FROM t', 'i, response')} ORDER BY i`);
    expect(rows).toHaveLength(traces.length);
    for (const row of rows) {
      const text = String(row['response']);
      const ts = parseTrace(text);
      const sql = {
        thinkOpen: row['think_open'],
        thinkClose: row['think_close'],
        thinkChars: row['think_chars'],
        answerChars: row['answer_chars'],
        finalCode: row['final_code'],
      };
      expect({ text, ...sql }).toEqual({ text, ...ts });
      expect(row['response_chars']).toBe(charCount(text));
      expect(row['tokens']).toBe(estimateTokens(text));
    }
  });

  it('leaves parsed columns NULL when there is no trace', async () => {
    const rows = await engine.all(parsedTraces('SELECT NULL::VARCHAR AS response', 'response'));
    expect(rows[0]).toMatchObject({ think_open: null, think_close: null, think_chars: null, final_code: null });
  });
});
