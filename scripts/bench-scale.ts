// `npm run bench:scale`: the whole dataset at the speed of plain DuckDB. VALLEY_BENCH_ROWS (default 1,000,000)
// OCR2-shaped traces of ~6 KB in VALLEY_BENCH_SHARDS (50) Parquet shards, generated into a temp folder (not kept),
// attached to Valley as a view and browsed through its public backend (scripts/bench-backend.ts: whatever engine
// main runs), next to plain DuckDB in a process of its own (scripts/bench-plain.ts) doing the same work on the same
// files. Like against like: where Valley precomputes (its side table of parsed columns), plain DuckDB builds the
// same columns once (timed as its attach) and reads them. Each operation alternates Valley and plain, several
// rounds, printed as min / median / max with the ratio of medians and the machine's load (os.loadavg) while it ran.
// Each target ends in ✓ or ✗. VALLEY_BENCH_ROWS=20000 makes a quick run.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openBenchBackend, type BenchBackend } from './bench-backend';
import type { PlainReply, PlainRequest } from './bench-plain';
import { brushBenchUnavailable, brushReport, measureBrush } from './bench-brush';

const ROWS = Number(process.env['VALLEY_BENCH_ROWS'] ?? 1_000_000);
const SHARDS = Number(process.env['VALLEY_BENCH_SHARDS'] ?? 50);
const ROUNDS = Number(process.env['VALLEY_BENCH_ROUNDS'] ?? 5);
const SEARCH_WORDS = ['kw1234', 'kw2718', 'kw3141', 'kw4669', 'kw1618'];

// ---------- statistics and output
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;
const fmtMs = (x: number) =>
  x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;
const mmm = (xs: number[]) => {
  const s = sorted(xs);
  return `${fmtMs(s[0] ?? NaN)} / ${fmtMs(med(xs))} / ${fmtMs(s[s.length - 1] ?? NaN)}`;
};
const loads: number[] = [];
const sampleLoad = () => loads.push(loadavg()[0] ?? NaN);
const loadSince = (i: number) => {
  const xs = loads.slice(i);
  return xs.length ? `load ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}` : '';
};
const results: string[] = [];
const line = (ok: boolean | null, text: string) => {
  const s = `${ok === null ? ' ' : ok ? '✓' : '✗'} ${text}`;
  results.push(s);
  console.log(s);
};

// ---------- plain DuckDB in its own process
interface Plain {
  readonly pid: number;
  q(sql: string, mode?: 'run' | 'all'): Promise<PlainReply>;
  close(): void;
}
const startPlain = async (dir: string): Promise<Plain> => {
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const child: ChildProcess = fork(join(__dirname, 'bench-plain.ts'), [join(dir, 'plain.duckdb'), join(dir, 'tmp')], {
    execArgv: process.execArgv,
  });
  const waiting = new Map<number, (r: PlainReply) => void>();
  child.on('message', (r: PlainReply) => waiting.get(r.id)?.(r));
  await new Promise<void>((resolve) => waiting.set(0, () => resolve()));
  let next = 1;
  return {
    pid: child.pid ?? -1,
    q: (sql, mode = 'all') =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, (r) => (r.error ? reject(new Error(`plain DuckDB: ${r.error}\n${sql}`)) : resolve(r)));
        child.send({ id, sql, mode } satisfies PlainRequest);
      }),
    close: () => child.kill(),
  };
};

// ---------- memory of the Valley side: this process and any engine processes it started (not plain, not Chromium)
const rssTreeMB = (root: number, skip: Set<number>): number => {
  const parent = new Map<number, number>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 50; p = parent.get(p) ?? 0, hops++) {
      if (skip.has(p)) return false;
      if (p === root) return true;
    }
    return false;
  };
  let kb = 0;
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
};

// ---------- data
const shardPath = (dir: string, k: number) =>
  join(dir, `train-${String(k).padStart(5, '0')}-of-${String(SHARDS).padStart(5, '0')}.parquet`);
const generate = async (dir: string) => {
  const db = await DuckDBInstance.create(':memory:', { memory_limit: '4GB', preserve_insertion_order: 'false' });
  const c = await db.connect();
  const per = Math.ceil(ROWS / SHARDS);
  for (let k = 0; k < SHARDS; k++) {
    const [a, b] = [k * per, Math.min(ROWS, (k + 1) * per)];
    await c.run(`COPY (
      SELECT 'id-' || i AS id, 'q' || (i % (${ROWS} // 3 + 1)) AS question_id,
        'Problem ' || (i % 997) || ': ' || repeat('Given an array of n integers, find the answer. ', 8 + i % 10) AS question,
        '<think>\n' || repeat('Let me reason about case ' || (i % 101) || ' and check the bound. ', (80 + hash(i) % 40)::BIGINT) ||
          array_to_string(['w' || (hash(i * 64 + j) % 20000) FOR j IN range(60)], ' ') || ' kw' || (i % 5000) || CASE WHEN i % 29 = 0 THEN '' ELSE '\n</think>\nThe solution:\n\`\`\`python\n' ||
          repeat('x = int(input())  # step ' || (i % 13) || '\n', 10 + i % 20) || '\`\`\`\n' END AS r1_generation,
        'critique' AS qwq_critique, 'print(1)' AS solution,
        CASE WHEN (hash(i * 7) % 10)::INT < 6 THEN 'right' ELSE 'wrong' END AS judgement,
        ((hash(i * 3) % 11)::INT / 10)::VARCHAR AS pass_rate,
        ['taco', 'apps', 'code_contests', 'open-r1/codeforces'][1 + i % 4] AS source, 'cc-by-4.0' AS license,
        'taco' AS dataset, 'train' AS split,
        ['EASY', 'MEDIUM', 'MEDIUM_HARD', 'HARD', 'VERY_HARD', 'UNKNOWN_DIFFICULTY'][(1 + hash(i * 5) % 6)::INT] AS difficulty,
        i::VARCHAR AS "index"
      FROM range(${a}, ${b}) t(i) ORDER BY i) TO '${shardPath(dir, k)}' (FORMAT PARQUET, COMPRESSION uncompressed, ROW_GROUP_SIZE 1000)`);
  }
  const size = readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
  c.closeSync();
  db.closeSync();
  return size;
};

/** The same derived columns Valley's side table holds, built by plain DuckDB in one scan (its "attach"). */
const plainSide = (glob: string) => `CREATE TABLE side AS
  SELECT (row_number() OVER (ORDER BY filename, file_row_number) - 1)::BIGINT AS row_id, filename, file_row_number,
    id, question_id, left(question, 300) AS question_preview, judgement = 'right' AS correct, TRY_CAST(pass_rate AS DOUBLE) AS pass_rate,
    difficulty, source, split, contains(r1_generation, '<think>') AS think_open, contains(r1_generation, '</think>') AS think_close,
    length(r1_generation) AS response_chars, (length(r1_generation) / 3.7)::INTEGER AS tokens
  FROM read_parquet('${glob}', filename = true, file_row_number = true)`;

/** Valley call and plain query in turn, `rounds` times (plus one warm-up each), each side's times. */
const alternate = async (
  rounds: number,
  valley: (i: number) => Promise<unknown>,
  plain: (i: number) => Promise<number>,
) => {
  const v: number[] = [];
  const p: number[] = [];
  for (let i = -1; i < rounds; i++) {
    sampleLoad();
    const t0 = performance.now();
    await valley(i);
    const tv = performance.now() - t0;
    const tp = await plain(i);
    if (i >= 0) {
      v.push(tv);
      p.push(tp);
    }
  }
  return { v, p };
};

const compare = (
  label: string,
  r: { v: number[]; p: number[] },
  since: number,
  target?: { ok: (v: number, p: number) => boolean; text: string },
) => {
  const [mv, mp] = [med(r.v), med(r.p)];
  line(
    target ? target.ok(mv, mp) : null,
    `${label.padEnd(34)} Valley ${mmm(r.v)}   plain ${mmm(r.p)}   ratio ${(mv / mp).toFixed(2)}×  ${target?.text ?? ''} (${loadSince(since)})`,
  );
};

const main = async () => {
  const root = await mkdtemp(join(tmpdir(), 'valley-bench-scale-'));
  const shards = join(root, 'shards');
  await mkdir(shards);
  const glob = `${shards}/*.parquet`;
  let plain: Plain | null = null;
  let bench: BenchBackend | null = null;
  try {
    console.log(
      `bench:scale — ${ROWS.toLocaleString('en-US')} traces in ${SHARDS} Parquet shards, ${ROUNDS} alternating rounds; load at start ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    const g0 = performance.now();
    const bytes = await generate(shards);
    console.log(
      `generated ${(bytes / 2 ** 30).toFixed(2)} GB of uncompressed Parquet (${(bytes / ROWS / 1024).toFixed(1)} KB a row, row groups of 1000) in ${((performance.now() - g0) / 1000).toFixed(0)} s`,
    );
    plain = await startPlain(join(root, 'plain'));
    bench = await openBenchBackend(join(root, 'valley'), 'create');
    const { call } = bench;
    const plainPid = new Set<number>([plain.pid]);
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssTreeMB(process.pid, plainPid))), 250);
    const p = plain;
    const pq = async (sql: string, mode: 'run' | 'all' = 'all') => (await p.q(sql, mode)).ms ?? NaN;

    // ---- attach: Valley's view (side table of parsed columns) vs plain building the same columns
    let since = loads.length;
    sampleLoad();
    let t0 = performance.now();
    await call('data.import', { paths: [shards], name: 'ocr2', storage: 'view', wait: true });
    const attachV = performance.now() - t0;
    const attachP = await pq(plainSide(glob), 'run');
    sampleLoad();
    line(
      attachV / attachP <= 1.3,
      `${'attach (side table, one scan)'.padEnd(34)} Valley ${fmtMs(attachV)}   plain ${fmtMs(attachP)}   ratio ${(attachV / attachP).toFixed(2)}×  (target ≤ 1.3×) (${loadSince(since)})`,
    );
    // ---- facets, brushed
    since = loads.length;
    const filter = {
      clauses: [
        { op: 'in', column: 'difficulty', values: ['EASY', 'MEDIUM'] },
        { op: 'range', column: 'tokens', min: 1000, max: 1500 },
        { op: 'range', column: 'pass_rate', min: 0.5, max: null },
      ],
    };
    const where: Record<string, string> = {
      difficulty: "difficulty IN ('EASY','MEDIUM')",
      tokens: 'tokens BETWEEN 1000 AND 1500',
      pass_rate: 'pass_rate >= 0.5',
    };
    const bins: [string, string][] = [
      ['difficulty', 'difficulty'],
      ['correct', 'correct'],
      ['pass_rate', 'least(floor(pass_rate * 10 + 1e-9), 10)'],
      ['source', 'source'],
      ['response_chars', 'floor(response_chars / 200)'],
      ['tokens', 'floor(tokens / 50)'],
    ];
    compare(
      'facets, brushed (6 histograms)',
      await alternate(
        ROUNDS,
        () => call('traces.facets', { dataset: 'ocr2', filter }),
        async () => {
          let ms = 0;
          for (const [col, expr] of bins) {
            const conds = Object.entries(where)
              .filter(([c]) => c !== col)
              .map(([, w]) => w);
            ms += await pq(`SELECT ${expr} AS b, count(*) FROM side WHERE ${conds.join(' AND ')} GROUP BY b`);
          }
          return ms;
        },
      ),
      since,
      { ok: (v, pl) => v / pl <= 1.2, text: '(target ≤ 1.2×)' },
    );

    // ---- pages at any offset
    const cols =
      'row_id, id, question_id, question_preview, correct, pass_rate, difficulty, source, think_close, response_chars, tokens';
    for (const [label, start] of [
      ['page of 100 @ 0', 0],
      ['page of 100 @ middle', Math.floor(ROWS / 2)],
      ['page of 100 @ end', ROWS - 100],
    ] as const) {
      since = loads.length;
      compare(
        label,
        await alternate(
          ROUNDS,
          () => call('traces.window', { dataset: 'ocr2', start, limit: 100 }),
          () => pq(`SELECT ${cols} FROM side ORDER BY row_id LIMIT 100 OFFSET ${start}`),
        ),
        since,
        { ok: (v) => v < 50, text: '(target < 50 ms)' },
      );
    }

    // ---- first page after a new filter (a different range each round: nothing cached)
    since = loads.length;
    compare(
      'first page after a filter change',
      await alternate(
        ROUNDS,
        (i) =>
          call('traces.window', {
            dataset: 'ocr2',
            filter: { clauses: [{ op: 'range', column: 'tokens', min: 1100 + i * 7, max: 1400 }] },
            start: 0,
            limit: 100,
          }),
        async (i) =>
          (await pq(
            `SELECT ${cols} FROM side WHERE tokens BETWEEN ${1100 + i * 7 + 3} AND 1400 ORDER BY row_id LIMIT 100`,
          )) + (await pq(`SELECT count(*) FROM side WHERE tokens BETWEEN ${1100 + i * 7 + 3} AND 1400`)),
      ),
      since,
      { ok: (v) => v < 50, text: '(target < 50 ms)' },
    );

    // ---- open one trace (different rows each round, the same rows on both sides)
    since = loads.length;
    const rowOf = (i: number) => Math.floor(((i + 2) * 7919 * 104729) % ROWS);
    compare(
      'open one trace',
      await alternate(
        ROUNDS * 4,
        (i) => call('traces.get', { dataset: 'ocr2', rowId: rowOf(i) }),
        async (i) => {
          const t = performance.now();
          const addr = await p.q(`SELECT filename || '|' || file_row_number FROM side WHERE row_id = ${rowOf(i)}`);
          const [file, k] = String(addr.first).split('|');
          await p.q(`SELECT * FROM read_parquet('${file}', file_row_number = true) WHERE file_row_number = ${k}`);
          return performance.now() - t;
        },
      ),
      since,
      { ok: (v) => v < 50, text: '(target < 50 ms)' },
    );

    // ---- nested subsets 1K ⊂ 10K ⊂ 30K
    since = loads.length;
    const sizes = [1000, 10_000, 30_000].filter((n) => n <= ROWS / 2);
    const top = sizes[sizes.length - 1] ?? 1000;
    compare(
      `nested subset ${sizes.map((n) => `${n / 1000}K`).join('/')}`,
      await alternate(
        3,
        (i) =>
          call('curate.subsets.save', {
            name: `bench${i + 1}`,
            spec: { dataset: 'ocr2', sizes, seed: i + 1 },
            replace: true,
          }),
        // the same order key as Valley's (md5 of id and seed: the same on every machine and DuckDB version, which
        // hash() does not promise) and the positions that make the sizes nested
        (i) =>
          pq(
            `CREATE OR REPLACE TABLE sub AS SELECT row_id, (row_number() OVER (ORDER BY h, row_id) - 1)::BIGINT AS pos
               FROM (SELECT row_id, md5_number(id || '#' || '${i + 1}') AS h FROM side ORDER BY h, row_id LIMIT ${top})`,
            'run',
          ),
      ),
      since,
      { ok: (v, pl) => v / pl <= 1.5, text: '(target ≤ 1.5×)' },
    );

    // ---- torchtune export of the largest size vs COPY of as many rows from the same files
    since = loads.length;
    const exp = await alternate(
      3,
      (i) =>
        call('curate.export', {
          subset: 'bench1',
          sizes: [top],
          formats: ['torchtune'],
          outDir: join(root, `out-${i + 1}`),
          overwrite: true,
          wait: true,
        }),
      (i) =>
        pq(
          `COPY (SELECT [{'role': 'user', 'content': question}, {'role': 'assistant', 'content': r1_generation}] AS messages
             FROM read_parquet('${glob}', filename = true, file_row_number = true) t
             SEMI JOIN (SELECT filename, file_row_number FROM side WHERE row_id IN (SELECT row_id FROM sub)) s USING (filename, file_row_number))
           TO '${join(root, `plain-${i + 1}.jsonl`)}' (FORMAT JSON)`,
          'run',
        ),
    );
    const [ev, ep] = [med(exp.v), med(exp.p)];
    line(
      ep / ev >= 0.8,
      `${`torchtune export of ${top / 1000}K`.padEnd(34)} Valley ${mmm(exp.v)}   COPY ${mmm(exp.p)}   throughput ratio ${(ep / ev).toFixed(2)}×  (target ≥ 0.8×) (${loadSince(since)})`,
    );

    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssTreeMB(process.pid, plainPid));
    line(
      peakRss < 1536,
      `${'backend RSS, peak of the session'.padEnd(34)} ${peakRss.toFixed(0)} MB (Valley's process and any engine process; target < 1536 MB)`,
    );

    // ---- brush → histograms redrawn, in Chromium on this view
    const why = brushBenchUnavailable();
    if (why) line(false, `brush → every histogram redrawn: not measured (${why})`);
    else {
      since = loads.length;
      sampleLoad();
      const t = await measureBrush(bench, 'ocr2', 8);
      sampleLoad();
      const [first, second] = brushReport(t, ROWS);
      line(med(t.total) < 150, `${(first ?? '').slice(2)} (${loadSince(since)})`);
      console.log(second);
    }
    // ---- the word index, built in the background since the attach (everything above ran beside it), then search
    t0 = performance.now();
    let state: string | undefined = 'building';
    // wait for the index (at most VALLEY_BENCH_INDEX_WAIT_S, default 30 min: after that searches scan and say so)
    const waitMs = Number(process.env['VALLEY_BENCH_INDEX_WAIT_S'] ?? 1800) * 1000;
    while (state === 'building' && performance.now() - t0 < waitMs) {
      state = ((await call('traces.facets', { dataset: 'ocr2' })) as { searchIndex?: string }).searchIndex;
      if (state === 'building') await new Promise((r) => setTimeout(r, 2000));
    }
    line(
      null,
      `${'word index built in the background'.padEnd(34)} ${state === 'ready' ? fmtMs(performance.now() - t0) : `not ready after ${fmtMs(waitMs)} (${state})`} more after the measurements above (precompute; plain has no index)`,
    );

    // ---- search, a word not searched before (each round a new word); same counts as ILIKE
    since = loads.length;
    const counts: [number, number][] = [];
    const search = await alternate(
      Math.min(ROUNDS, SEARCH_WORDS.length - 1),
      async (i) => {
        const r = (await call('traces.count', { dataset: 'ocr2', filter: { search: SEARCH_WORDS[i + 1] } })) as {
          total: number;
        };
        counts.push([r.total, NaN]);
      },
      async (i) => {
        const r = await p.q(
          `SELECT count(*) FROM read_parquet('${glob}') WHERE question ILIKE '%${SEARCH_WORDS[i + 1]}%' OR r1_generation ILIKE '%${SEARCH_WORDS[i + 1]}%'`,
        );
        const last = counts[counts.length - 1];
        if (last) last[1] = Number(r.first);
        return r.ms ?? NaN;
      },
    );
    const same = counts.every(([a, b]) => a === b);
    compare('search, a new word', search, since, {
      ok: (v) => v < 2000 && same,
      text: `(target < 2 s; counts ${same ? 'equal' : 'DIFFER'}: ${counts.map(([a, b]) => `${a}/${b}`).join(', ')})`,
    });

    console.log(
      `\nload (1-min average) over the run: ${loadSince(0)}; at the end ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await bench?.backend.close();
    plain?.close();
    if (existsSync(root)) await rm(root, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
