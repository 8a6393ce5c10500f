// `npm run bench:engine [-- --rows N --repeats R]`: what running DuckDB in its own process costs. Two copies of one
// demo workspace (N traces, default 100K): one opened with DuckDB in this process (VALLEY_ENGINE=in-process), one
// in the engine process (the default), the same calls through the router on both, in turn, so load from elsewhere
// hits both alike. Prints the median of each and the ratio (engine process / in process).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../electron/services/demo/demo';
import { openBenchBackend, type BenchBackend } from './bench-backend';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 100_000);
const repeats = arg('repeats', 15);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const open = async (dir: string, engine: 'in-process' | 'process'): Promise<BenchBackend> => {
  if (engine === 'in-process') process.env['VALLEY_ENGINE'] = 'in-process';
  else delete process.env['VALLEY_ENGINE'];
  try {
    return await openBenchBackend(dir, 'refuse');
  } finally {
    delete process.env['VALLEY_ENGINE'];
  }
};

const main = async () => {
  const root = await mkdtemp(join(tmpdir(), 'valley-bench-engine-'));
  try {
    process.stdout.write(`Creating ${rows} demo traces … `);
    await (await createDemoWorkspace(join(root, 'a', 'ws'), rows)).close();
    await cp(join(root, 'a'), join(root, 'b'), { recursive: true });
    console.log('done');
    const inProcess = await open(join(root, 'a'), 'in-process');
    const ownProcess = await open(join(root, 'b'), 'process');
    const dataset = 'demo-ocr2';
    const brushed = {
      clauses: [
        { op: 'in', column: 'difficulty', values: ['EASY', 'MEDIUM'] },
        { op: 'range', column: 'tokens', min: 100, max: 600 },
      ],
    };
    const cases: { name: string; run: (b: BenchBackend) => Promise<unknown> }[] = [
      { name: 'SELECT 1 (round trip)', run: (b) => b.call('sql.query', { sql: 'SELECT 1' }) },
      {
        name: 'page: traces.window, 200 rows at 0',
        run: (b) => b.call('traces.window', { dataset, start: 0, limit: 200 }),
      },
      {
        name: 'page: traces.window, 200 rows deep',
        run: (b) => b.call('traces.window', { dataset, start: Math.floor(rows * 0.7), limit: 200 }),
      },
      { name: 'facets: traces.facets, no filter', run: (b) => b.call('traces.facets', { dataset }) },
      { name: 'facets: traces.facets, brushed', run: (b) => b.call('traces.facets', { dataset, filter: brushed }) },
      {
        name: 'result of 10,000 rows × 6 columns',
        run: (b) =>
          b.call('sql.query', {
            sql: `SELECT row_id, id, difficulty, tokens, pass_rate, question_id FROM "ds_demo_ocr2" LIMIT 10000`,
            limit: 10000,
          }),
      },
      { name: 'SELECT 1 again, after the others', run: (b) => b.call('sql.query', { sql: 'SELECT 1' }) },
    ];
    console.log(`\n${'case'.padEnd(40)} ${'in process'.padStart(12)} ${'own process'.padStart(12)}  ratio`);
    for (const c of cases) {
      const times: [number[], number[]] = [[], []];
      for (let round = -1; round < repeats; round++) {
        for (const [i, b] of [inProcess, ownProcess].entries()) {
          const t0 = performance.now();
          await c.run(b);
          if (round >= 0) times[i]?.push(performance.now() - t0);
        }
      }
      const [a, o] = [median(times[0]), median(times[1])];
      console.log(
        `${c.name.padEnd(40)} ${`${a.toFixed(2)} ms`.padStart(12)} ${`${o.toFixed(2)} ms`.padStart(12)}  ${(o / a).toFixed(2)}`,
      );
    }
    await inProcess.backend.close();
    await ownProcess.backend.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
};

void main();
