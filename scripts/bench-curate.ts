// `npm run bench:curate [-- --rows N]`: crossfilter latency and export throughput on N (default 200K) demo
// traces, each against plain DuckDB doing the same work in the same process on the same file.
//   crossfilter: Valley's traces.facets through the router (validation, filter builder, one query per facet on
//                pooled connections) vs six hand-written GROUP BY queries on a bare connection. Ratio = Valley / plain
//                (target ≤ 1.2). With a search, Valley caches the matching row ids (the first call is printed too).
//                Filters the count cube answers (no filter, a brush on bin edges) are timed against plain DuckDB
//                summing a table of the same cells, each side's build printed as its precompute.
//   table:       traces.window at increasing depth vs ORDER BY … LIMIT … OFFSET.
//   export:      Valley's curate.export of a subset holding every row (sampler, COPY, SHA-256, manifest) vs a bare
//                COPY of the same row ids, and of the whole table, to the same format. Ratio = COPY time / Valley time
//                (throughput ratio, target ≥ 0.8). Contenders run in turn, so load from elsewhere hits all alike.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../electron/services/demo/demo';
import type { Session } from '../electron/services/engine/engine';
import { openBenchBackend } from './bench-backend';
import { buildFacetCube } from './bench-brush';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 200_000);
const repeats = arg('repeats', 15);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const time = async (work: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};
let lastFirst = 0;
/**
 * Each contender in turn, n rounds (after one warm-up round), so load from elsewhere on the machine hits
 * all alike; the median of each. The first contender's warm-up time is kept in lastFirst.
 */
const interleaved = async (n: number, ...contenders: (() => Promise<unknown>)[]): Promise<number[]> => {
  const times = contenders.map(() => [] as number[]);
  for (let round = -1; round < n; round++) {
    for (const [i, work] of contenders.entries()) {
      const t = await time(work);
      if (round >= 0) times[i]?.push(t);
      else if (i === 0) lastFirst = t;
    }
  }
  return times.map(median);
};

const main = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'valley-bench-curate-'));
  try {
    process.stdout.write(`Creating ${rows} demo traces … `);
    const t0 = performance.now();
    await (await createDemoWorkspace(join(dir, 'ws'), rows)).close();
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const { backend, call } = await openBenchBackend(dir, 'refuse');
    const engine = backend.services.workspace.engine;
    const s: Session = await engine.session();
    const dataset = 'demo-ocr2';

    // ---- crossfilter
    const scenarios = [
      {
        name: 'brushed (difficulty + tokens + pass rate)',
        filter: {
          clauses: [
            { op: 'in', column: 'difficulty', values: ['EASY', 'MEDIUM'] },
            { op: 'range', column: 'tokens', min: 100, max: 600 },
            { op: 'range', column: 'pass_rate', min: 0.5, max: null },
          ],
        },
        where: {
          difficulty: "difficulty IN ('EASY','MEDIUM')",
          tokens: 'tokens BETWEEN 100 AND 600',
          pass_rate: 'pass_rate >= 0.5',
        } as Record<string, string>,
        search: '',
      },
      {
        name: 'full-text search + difficulty',
        filter: { clauses: [{ op: 'in', column: 'difficulty', values: ['HARD'] }], search: 'segment tree' },
        where: { difficulty: "difficulty = 'HARD'" } as Record<string, string>,
        search:
          "(question ILIKE '%segment%' OR response ILIKE '%segment%') AND (question ILIKE '%tree%' OR response ILIKE '%tree%')",
      },
    ];
    const stats =
      (
        await s.all(
          'SELECT min(response_chars) AS l1, max(response_chars) AS h1, min(tokens) AS l2, max(tokens) AS h2 FROM ds_demo_ocr2',
        )
      )[0] ?? {};
    const w1 = Math.max(1, Math.ceil((Number(stats['h1']) - Number(stats['l1']) + 1) / 30));
    const w2 = Math.max(1, Math.ceil((Number(stats['h2']) - Number(stats['l2']) + 1) / 30));
    const facetsPlain: [string, string][] = [
      ['difficulty', 'difficulty'],
      ['correct', 'correct'],
      ['pass_rate', 'CASE WHEN pass_rate IS NOT NULL THEN least(floor(pass_rate * 10 + 1e-9), 10) END'],
      ['source', 'source'],
      ['response_chars', `floor((response_chars - ${Number(stats['l1'])}) / ${w1})`],
      ['tokens', `floor((tokens - ${Number(stats['l2'])}) / ${w2})`],
    ];
    console.log(`\nCrossfilter: six linked histograms on ${rows} rows (median of ${repeats})`);
    // the count cube (facet-cube.ts), built before anything is timed (the first traces.facets would build it in the
    // background, beside the rounds); plain DuckDB gets a table of the same cells: both builds are the precompute
    const bench = { backend, call };
    const cubeMs = await buildFacetCube(bench, dataset);
    const tc = performance.now();
    await s.run(
      `CREATE TEMP TABLE plain_cells AS SELECT ${facetsPlain.map(([c, e]) => `${e} AS ${c}`).join(', ')}, count(*) AS c
         FROM ds_demo_ocr2 GROUP BY ALL`,
    );
    const plainCubeMs = performance.now() - tc;
    console.log(
      `  count cube built once: Valley ${cubeMs.toFixed(0)} ms, plain DuckDB (the same cells in a table) ${plainCubeMs.toFixed(0)} ms`,
    );
    for (const sc of scenarios) {
      const [valley = 0, plain = 0] = await interleaved(
        repeats,
        () => call('traces.facets', { dataset, filter: sc.filter }),
        async () => {
          for (const [col, expr] of facetsPlain) {
            const conds = [
              ...Object.entries(sc.where)
                .filter(([c]) => c !== col)
                .map(([, w]) => w),
              ...(sc.search ? [sc.search] : []),
            ];
            await s.all(
              `SELECT ${expr} AS b, count(*) AS n FROM ds_demo_ocr2 ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} GROUP BY b`,
            );
          }
        },
      );
      const cold = lastFirst;
      console.log(
        `  ${sc.name.padEnd(44)} Valley ${valley.toFixed(1).padStart(7)} ms   plain DuckDB ${plain.toFixed(1).padStart(7)} ms   ratio ${(valley / plain).toFixed(2)} (target ≤ 1.2)` +
          (sc.search
            ? `\n  ${''.padEnd(44)} (first call, before the search matches are cached: ${cold.toFixed(0)} ms)`
            : ''),
      );
    }

    // the same, from the cubes: Valley's against plain DuckDB's six GROUP BYs over its table of cells
    const tokenBins = Math.ceil((Number(stats['h2']) - Number(stats['l2']) + 1) / w2);
    const [a, b] = [Math.floor(tokenBins / 4), Math.floor(tokenBins / 2)];
    const cubeScenarios = [
      { name: 'no filter (count cube)', filter: { clauses: [] }, where: {} as Record<string, string> },
      {
        name: 'brush on bin edges + difficulty (count cube)',
        filter: {
          clauses: [
            { op: 'in', column: 'difficulty', values: ['EASY', 'MEDIUM'] },
            {
              op: 'range',
              column: 'tokens',
              min: Number(stats['l2']) + a * w2,
              max: Number(stats['l2']) + (b + 1) * w2 - 1,
            },
          ],
        },
        where: { difficulty: "difficulty IN ('EASY','MEDIUM')", tokens: `tokens BETWEEN ${a} AND ${b}` } as Record<
          string,
          string
        >,
      },
    ];
    for (const sc of cubeScenarios) {
      const [valley = 0, plain = 0] = await interleaved(
        repeats,
        () => call('traces.facets', { dataset, filter: sc.filter }),
        async () => {
          for (const [col] of facetsPlain) {
            const conds = Object.entries(sc.where)
              .filter(([c]) => c !== col)
              .map(([, w]) => w);
            await s.all(
              `SELECT ${col} AS b, sum(c) AS n FROM plain_cells ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} GROUP BY b`,
            );
          }
        },
      );
      console.log(
        `  ${sc.name.padEnd(44)} Valley ${valley.toFixed(1).padStart(7)} ms   plain DuckDB ${plain.toFixed(1).padStart(7)} ms   ratio ${(valley / plain).toFixed(2)} (target ≤ 1.2)`,
      );
    }

    // ---- table pages at any depth
    console.log(`\nTrace table: a page of 200 rows sorted by tokens (desc) at increasing depth (median of ${repeats})`);
    const sort = { column: 'tokens', desc: true };
    const t1 = performance.now();
    await call('traces.window', { dataset, sort, start: 0, limit: 200 });
    console.log(
      `  order index for the sort built in ${(performance.now() - t1).toFixed(0)} ms (once per filter and sort)`,
    );
    for (const start of [0, Math.floor(rows / 2), rows - 200]) {
      const [valley = 0, plain = 0] = await interleaved(
        repeats,
        () => call('traces.window', { dataset, sort, start, limit: 200 }),
        () =>
          s.all(`SELECT row_id, id, question_id, left(question, 300), correct, pass_rate, difficulty, source, think_close, response_chars, tokens
                   FROM ds_demo_ocr2 ORDER BY tokens DESC, row_id DESC LIMIT 200 OFFSET ${start}`),
      );
      console.log(
        `  row ${String(start).padStart(7)}: Valley ${valley.toFixed(1).padStart(6)} ms   plain DuckDB ORDER BY … OFFSET ${plain.toFixed(1).padStart(6)} ms   ratio ${(valley / plain).toFixed(2)}`,
      );
    }

    // ---- export
    await call('curate.subsets.save', { name: 'all', spec: { dataset, sizes: [rows], seed: 1 } });
    const ids = `(SELECT row_id FROM ds_demo_ocr2)`;
    console.log(`\nExport of ${rows} rows (median of 3)`);
    const formats = [
      {
        format: 'torchtune',
        copy: `COPY (SELECT [{'role': 'user', 'content': question}, {'role': 'assistant', 'content': response}] AS messages FROM ds_demo_ocr2 WHERE row_id IN ${ids}) TO '${join(dir, 'plain.jsonl')}' (FORMAT JSON)`,
        whole: `COPY (SELECT [{'role': 'user', 'content': question}, {'role': 'assistant', 'content': response}] AS messages FROM ds_demo_ocr2) TO '${join(dir, 'whole.jsonl')}' (FORMAT JSON)`,
      },
      {
        format: 'parquet',
        copy: `COPY (SELECT * FROM ds_demo_ocr2 WHERE row_id IN ${ids}) TO '${join(dir, 'plain.parquet')}' (FORMAT PARQUET, COMPRESSION ZSTD)`,
        whole: `COPY ds_demo_ocr2 TO '${join(dir, 'whole.parquet')}' (FORMAT PARQUET, COMPRESSION ZSTD)`,
      },
    ];
    let n = 0;
    for (const f of formats) {
      const [valley = 0, plain = 0, whole = 0] = await interleaved(
        3,
        () =>
          call('curate.export', { subset: 'all', formats: [f.format], outDir: join(dir, `out-${n++}`), wait: true }),
        () => s.run(f.copy),
        () => s.run(f.whole),
      );
      console.log(
        `  ${f.format.padEnd(10)} Valley ${valley.toFixed(0).padStart(6)} ms (${(rows / valley).toFixed(0)} rows/ms)   ` +
          `COPY of the same row ids ${plain.toFixed(0).padStart(6)} ms: throughput ratio ${(plain / valley).toFixed(2)}   ` +
          `COPY of the whole table ${whole.toFixed(0).padStart(6)} ms: ratio ${(whole / valley).toFixed(2)} (target ≥ 0.8)`,
      );
    }
    s.close();
    await backend.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
