// `npm run bench:data [-- --rows N]`: a synthetic OpenCodeReasoning-2-like JSONL (default 200K rows, ~12 KB
// traces), then Valley through its own API next to plain DuckDB doing the same work on the same file, as ratios
// (Valley / plain; below 1 means Valley is faster). Each side runs in its own child process so peak RSS is its own.
//   import:   data.import (roles, checks, trace parsing, stored lengths) vs CREATE TABLE AS read_json; median of
//             --import-rounds (5) runs per side, alternating, since this VM's timings of one run vary by ±20%
//   facets:   traces.facets (6 histograms from stored columns) vs the same GROUP BYs on the plain table
//             (which has no stored lengths, so it measures length() of every trace, as a plain user would)
//   page:     traces.window of 100 rows at offset 0 / middle / end vs SELECT … LIMIT 100 OFFSET k; and sorted by
//             trace length (tokens) at the middle vs ORDER BY length(r1_generation) … OFFSET k
//   search:   traces.count with a search word vs count(*) WHERE question/response ILIKE: the first search after the
//             import (cold), new words (warm), the same word again
//   peak RSS: of each child process (targets: import ≤ 1.3×, facets ≤ 1.2×, page < 50 ms)
// Then the same rows as an uncompressed Parquet file, attached lazily (a view over the file): attach time, facets,
// pages and the backend's peak RSS while browsing it (target < 1.5 GB for a file larger than that). Row groups of
// 5000 rows, as text-heavy datasets are written; a page reads the row group(s) holding its rows.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { defaultMemoryLimit } from '../electron/services/workspace/workspace';
import { openBenchBackend } from './bench-backend';
import { ocr2RowsSql } from './bench-rows';
import { warmMemory } from './bench-warm';
import { median, spread, timed } from './bench-report';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rows = Number(arg('rows') ?? 200_000);
const repeats = Number(arg('repeats') ?? 7);
/** Imports are timed this many times per side, alternating plain and Valley (this VM's timings vary ±20%). */
const importRounds = Number(arg('import-rounds') ?? 5);
const importOnly = process.argv.includes('--import-only');

type Timings = Record<string, number>;

const medianOf = async (work: () => Promise<unknown>) => {
  await work();
  const xs: number[] = [];
  for (let i = 0; i < repeats; i++) xs.push(await timed(work));
  return median(xs);
};

/** Rows shaped like OCR2: every column a string; traces ~12 KB with think tags and a final code block. */
const generate = async (file: string, n: number) => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const rowsSql = ocr2RowsSql({
    from: 0,
    to: n,
    total: n,
    question: { base: 20, mod: 30 },
    think: { base: 150, mod: 80, key: 'hash(i)' },
    code: { base: 20, mod: 20 },
    words: false,
  });
  await c.run(`COPY (${rowsSql}) TO '${file}' (FORMAT JSON)`);
  c.closeSync();
  db.closeSync();
};

const needle = 'bound';
const otherWords = ['reason', 'case', 'check', 'array', 'input'];

/**
 * Search right after the import, before anything else reads the traces (the text is cold), then other words
 * once each (warm), then one word again (Valley answers that from its search cache).
 */
const searches = async (out: Timings, search: (word: string) => Promise<unknown>) => {
  out['searchCold'] = await timed(() => search(needle));
  const xs: number[] = [];
  for (const w of otherWords) xs.push(await timed(() => search(w)));
  out['searchNew'] = median(xs);
  out['search'] = await medianOf(() => search(needle));
};

const runValley = async (file: string, dir: string): Promise<Timings> => {
  const { backend, call } = await openBenchBackend(dir, 'create');
  const out: Timings = {};
  out['import'] = await timed(() => call('data.import', { paths: [file], name: 'bench', wait: true }));
  if (importOnly) {
    await backend.close();
    return out;
  }
  await searches(out, (word) => call('traces.count', { dataset: 'bench', filter: { search: word } }));
  out['facets'] = await medianOf(() => call('traces.facets', { dataset: 'bench' }));
  for (const [label, start] of [
    ['page0', 0],
    ['pageMid', Math.floor(rows / 2)],
    ['pageEnd', rows - 100],
  ] as const) {
    out[label] = await medianOf(() => call('traces.window', { dataset: 'bench', start, limit: 100 }));
  }
  const sort = { column: 'tokens' as const, desc: true };
  out['pageSorted'] = await medianOf(() =>
    call('traces.window', { dataset: 'bench', sort, start: Math.floor(rows / 2), limit: 100 }),
  );
  await backend.close();
  return out;
};

const runPlain = async (file: string, dir: string): Promise<Timings> => {
  const db = await DuckDBInstance.create(join(dir, 'plain.duckdb'), {
    memory_limit: defaultMemoryLimit(),
    temp_directory: join(dir, 'tmp'),
  });
  const c = await db.connect();
  const out: Timings = {};
  out['import'] = await timed(() =>
    c.run(`CREATE TABLE t AS SELECT * FROM read_json('${file}', format = 'newline_delimited')`),
  );
  if (importOnly) return out;
  await searches(out, (word) =>
    c.runAndReadAll(`SELECT count(*) FROM t WHERE question ILIKE '%${word}%' OR r1_generation ILIKE '%${word}%'`),
  );
  const facets = [
    'SELECT difficulty, count(*) FROM t GROUP BY ALL',
    'SELECT judgement, count(*) FROM t GROUP BY ALL',
    'SELECT floor(TRY_CAST(pass_rate AS DOUBLE) * 10), count(*) FROM t GROUP BY ALL',
    'SELECT source, count(*) FROM t GROUP BY ALL',
    'SELECT floor(length(r1_generation) / 1000), count(*) FROM t GROUP BY ALL',
    'SELECT floor(length(r1_generation) / 3.7 / 500), count(*) FROM t GROUP BY ALL',
  ];
  out['facets'] = await medianOf(async () => {
    for (const sql of facets) await c.runAndReadAll(sql);
  });
  for (const [label, start] of [
    ['page0', 0],
    ['pageMid', Math.floor(rows / 2)],
    ['pageEnd', rows - 100],
  ] as const) {
    out[label] = await medianOf(() => c.runAndReadAll(`SELECT * FROM t LIMIT 100 OFFSET ${start}`));
  }
  out['pageSorted'] = await medianOf(() =>
    c.runAndReadAll(`SELECT * FROM t ORDER BY length(r1_generation) DESC LIMIT 100 OFFSET ${Math.floor(rows / 2)}`),
  );
  c.closeSync();
  db.closeSync();
  return out;
};

/** Browse a Parquet file through a lazily attached view. */
const runView = async (file: string, dir: string): Promise<Timings> => {
  const { backend, call } = await openBenchBackend(dir, 'create');
  const out: Timings = {};
  out['import'] = await timed(() => call('data.import', { paths: [file], name: 'view', storage: 'view', wait: true }));
  out['facets'] = await medianOf(() => call('traces.facets', { dataset: 'view' }));
  for (const [label, start] of [
    ['page0', 0],
    ['pageMid', Math.floor(rows / 2)],
    ['pageEnd', rows - 100],
  ] as const) {
    out[label] = await medianOf(() => call('traces.window', { dataset: 'view', start, limit: 100 }));
  }
  await backend.close();
  return out;
};

const child = async (side: string, file: string, dir: string) => {
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const timings =
    side === 'valley'
      ? await runValley(file, dir)
      : side === 'view'
        ? await runView(file, dir)
        : await runPlain(file, dir);
  timings['rssMB'] = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`RESULT ${JSON.stringify(timings)}\n`);
};

const spawnSide = (side: string, file: string, dir: string, only = false): Timings => {
  const args = [
    '--child',
    side,
    '--file',
    file,
    '--dir',
    dir,
    '--rows',
    String(rows),
    '--repeats',
    String(repeats),
    ...(only ? ['--import-only'] : []),
  ];
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`${side} side failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice(7)) as Timings;
};

const main = async () => {
  const side = arg('child');
  if (side) return child(side, arg('file') as string, arg('dir') as string);
  console.log(warmMemory());
  const dir = await mkdtemp(join(tmpdir(), 'valley-bench-data-'));
  try {
    const file = join(dir, 'ocr2-synthetic.jsonl');
    process.stdout.write(`Generating ${rows} OCR2-like rows … `);
    const g = await timed(() => generate(file, rows));
    const size = (await stat(file)).size;
    console.log(
      `${(size / 2 ** 30).toFixed(2)} GB (${(size / rows / 1024).toFixed(1)} KB/row) in ${(g / 1000).toFixed(1)} s`,
    );
    const viewOnly = process.argv.includes('--view-only');
    const plain: Timings = viewOnly ? {} : spawnSide('plain', file, join(dir, 'plain'));
    const valley: Timings = viewOnly ? {} : spawnSide('valley', file, join(dir, 'valley'));
    const imports = { plain: [plain['import'] ?? NaN], valley: [valley['import'] ?? NaN] };
    for (let round = 1; round < importRounds && !viewOnly; round++) {
      await rm(join(dir, 'plain'), { recursive: true, force: true });
      await rm(join(dir, 'valley'), { recursive: true, force: true });
      imports.plain.push(spawnSide('plain', file, join(dir, 'plain'), true)['import'] ?? NaN);
      imports.valley.push(spawnSide('valley', file, join(dir, 'valley'), true)['import'] ?? NaN);
    }
    plain['import'] = median(imports.plain);
    valley['import'] = median(imports.valley);
    const fmt = (label: string, key: string, unit: 'ms' | 's' | 'MB', target = '') => {
      const v = valley[key] ?? NaN;
      const p = plain[key] ?? NaN;
      const show = (x: number) =>
        unit === 's' ? `${(x / 1000).toFixed(2)} s` : unit === 'MB' ? `${x.toFixed(0)} MB` : `${x.toFixed(1)} ms`;
      console.log(
        `${label.padEnd(22)} valley ${show(v).padStart(10)}   plain ${show(p).padStart(10)}   ratio ${(v / p).toFixed(2)}×  ${target}`,
      );
    };
    console.log(`\n${rows} rows, ${repeats} repeats (medians), DuckDB memory_limit ${defaultMemoryLimit()}`);
    if (!viewOnly) {
      fmt('import JSONL', 'import', 's', '(target ≤ 1.3×)');
      const secs = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(1)).join(', ');
      console.log(
        `${''.padEnd(22)} medians of ${importRounds} alternating runs: valley ${secs(imports.valley)} s; plain ${secs(imports.plain)} s`,
      );
      console.log(
        `${''.padEnd(22)} min / median / max: valley ${spread(imports.valley)}; plain ${spread(imports.plain)}`,
      );
      fmt('facet counts (6)', 'facets', 'ms', '(target ≤ 1.2×)');
      fmt('page of 100 @ 0', 'page0', 'ms', '(target < 50 ms)');
      fmt('page of 100 @ middle', 'pageMid', 'ms', '(target < 50 ms)');
      fmt('page of 100 @ end', 'pageEnd', 'ms', '(target < 50 ms)');
      fmt('page sorted by length', 'pageSorted', 'ms', '(middle; plain sorts on every page)');
      fmt('search, first (cold)', 'searchCold', 'ms');
      fmt('search, a new word', 'searchNew', 'ms');
      fmt('search, same word', 'search', 'ms', '(Valley: from its search cache)');
      fmt('peak RSS', 'rssMB', 'MB');
    }
    if (process.argv.includes('--no-view')) return;
    const parquet = join(dir, 'ocr2-synthetic.parquet');
    await (async () => {
      const db = await DuckDBInstance.create(':memory:', {
        memory_limit: '4GB',
        temp_directory: join(dir, 'gen-tmp'),
        preserve_insertion_order: 'false',
        threads: '1',
      });
      const c = await db.connect();
      await c.run(
        `COPY (SELECT * FROM read_json('${file}', format = 'newline_delimited')) TO '${parquet}' (COMPRESSION uncompressed, ROW_GROUP_SIZE 5000)`,
      );
      c.closeSync();
      db.closeSync();
    })();
    await rm(file);
    const pq = (await stat(parquet)).size;
    const view = spawnSide('view', parquet, join(dir, 'view'));
    const ms = (k: string) => `${(view[k] ?? NaN).toFixed(1)} ms`;
    console.log(
      `\nParquet ${(pq / 2 ** 30).toFixed(2)} GB attached as a view: ${((view['import'] ?? NaN) / 1000).toFixed(1)} s (side table of parsed columns)`,
    );
    console.log(
      `  facets ${ms('facets')}, page of 100 @ 0 ${ms('page0')}, middle ${ms('pageMid')}, end ${ms('pageEnd')}`,
    );
    console.log(`  peak RSS ${(view['rssMB'] ?? NaN).toFixed(0)} MB (target < 1536 MB)`);
  } finally {
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
