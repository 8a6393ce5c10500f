import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValleyError, type EventPayload } from '../../shared/api';
import type { Engine, EngineRestart } from '../../electron/services/engine/engine';
import { openSupervisedDuckDb } from '../../electron/services/engine/supervised';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';
import { ocr2Row, writeOcr2 } from '../helpers/trace-files';

/**
 * A JSON Lines file whose line 2 is nested 100,000 deep: DuckDB 1.5's JSON reader overflows its stack on it
 * (SIGSEGV). The engine runs in its own process, so this must fail the call, not the backend.
 */
const writeDeep = (path: string) =>
  writeFile(path, `${JSON.stringify(ocr2Row(0))}\n{"id": "deep", "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);

const rejection = async (work: Promise<unknown>): Promise<ValleyError> => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValleyError);
  return error as ValleyError;
};

describe('a native crash of DuckDB in the engine process', () => {
  let files: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    files = await tempDir('valley-crash-');
    await writeDeep(join(files.dir, 'deep.jsonl'));
  });
  afterAll(() => files.cleanup());

  it('fails what was running (naming it), restarts on the same database, and keeps what was committed', async () => {
    const engine: Engine = await openSupervisedDuckDb(join(files.dir, 'e.duckdb'), { memoryLimit: '1GB' });
    try {
      const restarts: EngineRestart[] = [];
      engine.onRestart((r) => restarts.push(r));
      await engine.run('CREATE TABLE kept AS SELECT range AS i FROM range(1000)');
      const before = await engine.session();
      await before.run('CREATE TEMP TABLE scratch (i INTEGER)');
      const deep = join(files.dir, 'deep.jsonl');
      const slow = before.all('SELECT count(*) AS n FROM range(3000000000) r(i) WHERE hash(i) % 3 = 0');
      await new Promise((r) => setTimeout(r, 100));
      const crash = await rejection(engine.all(`SELECT * FROM read_json('${deep}', format = 'newline_delimited')`));
      expect(crash.message).toMatch(/crashed \(signal SIG(SEGV|BUS|ABRT)/);
      expect(crash.message).toContain(`reading ${deep}`);
      expect(crash.message).toContain('running: SELECT * FROM read_json(');
      expect(crash.details).toMatchObject({ file: deep });
      // the query that happened to be running elsewhere fails too, saying which file brought the engine down
      const other = await rejection(slow);
      expect(other.message).toContain('running: SELECT count(*) AS n FROM range(3000000000)');
      expect(other.message).toContain(deep);
      // a session of before is gone (with its temp table); the engine itself serves again, with the data
      await expect(before.all('SELECT * FROM scratch')).rejects.toThrow(/lost when the engine restarted/);
      before.close();
      expect(await engine.all('SELECT count(*) AS n, sum(i) AS s FROM kept')).toEqual([{ n: 1000, s: 499500 }]);
      expect(restarts).toHaveLength(1);
      expect(restarts[0]?.file).toBe(deep);
      expect(restarts[0]?.cause).toMatch(/^signal SIG/);
      const s = await engine.session();
      expect(await s.append('kept', ['bigint'], [[1000]])).toBe(1);
      s.close();
      expect(await engine.all('SELECT max(i) AS m FROM kept')).toEqual([{ m: 1000 }]);
    } finally {
      await engine.close();
    }
  });
});

describe('importing a file that crashes DuckDB', () => {
  let t: TestBackend;
  let files: { dir: string; cleanup: () => Promise<void> };
  const events: EventPayload<'engine.restarted'>[] = [];
  beforeAll(async () => {
    t = await startTestBackend();
    files = await tempDir('valley-crash-import-');
    await writeOcr2(join(files.dir, 'keep.jsonl'), 5);
    await t.call('data.import', { paths: [join(files.dir, 'keep.jsonl')], name: 'keep', wait: true });
    t.backend.services.bus.subscribe((name, payload) => {
      if (name === 'engine.restarted') events.push(payload as EventPayload<'engine.restarted'>);
    });
  });
  afterAll(async () => {
    await t.close();
    await files.cleanup();
  });

  it('fails the import naming the file; the backend lives on, the engine restarted, the workspace is intact', async () => {
    const deep = join(files.dir, 'deep.jsonl');
    await writeDeep(deep);
    const e = await rejection(t.call('data.import', { paths: [deep], name: 'deep', wait: true }));
    expect(e.message).toContain(`reading ${deep}`);
    expect(e.message).toMatch(/data engine crashed/);
    expect(e.details).toMatchObject({ file: deep });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ file: deep });
    expect(events[0]?.cause).toMatch(/^signal SIG/);
    // this process (the backend) is still here, answering; what was committed before is all there
    const datasets = await t.call('data.datasets', {});
    expect(datasets.datasets.map((d) => [d.name, d.rows])).toEqual([['keep', 5]]);
    expect((await t.call('sql.query', { sql: 'SELECT count(*) AS n FROM ds_keep' })).rows).toEqual([[5]]);
    // and new work goes through: the page query of the trace table, and another import
    const page = await t.call('traces.window', { dataset: 'keep', start: 0, limit: 3 });
    expect(page.rows).toHaveLength(3);
    await writeOcr2(join(files.dir, 'more.jsonl'), 4);
    const more = await t.call('data.import', { paths: [join(files.dir, 'more.jsonl')], name: 'more', wait: true });
    expect(more.result).toMatchObject({ rows: 4 });
  });
});
