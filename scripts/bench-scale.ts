// `npm run bench:scale`: the whole dataset at the speed of plain DuckDB. VALLEY_BENCH_ROWS (default 1,000,000)
// OCR2-shaped traces of ~6 KB in VALLEY_BENCH_SHARDS (50) Parquet shards, generated into a temp folder (not kept),
// attached to Valley as a view and browsed through its public backend (scripts/bench-backend.ts: whatever engine
// main runs), next to plain DuckDB in a process of its own (scripts/bench-plain.ts) doing the same work on the same
// files. Like against like: where Valley precomputes (its side table of parsed columns), plain DuckDB builds the
// same columns once (timed as its attach) and reads them. Each operation alternates Valley and plain, several
// rounds, printed as min / median / max with the ratio of medians and the machine's load (os.loadavg) while it ran.
// Each target ends in ✓ or ✗. VALLEY_BENCH_ROWS=20000 makes a quick run.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBenchBackend, type BenchBackend } from './bench-backend';
import { startPlain, type Plain } from './bench-plain';
import { brushBenchUnavailable, brushReport, buildFacetCube, measureBrush } from './bench-brush';
import { generate, plainSide, shardBytes } from './bench-scale-data';
import {
  alternate as alternateWith,
  compare as compareWith,
  fmtMs,
  line,
  loadTracker,
  median as med,
  spread as mmm,
} from './bench-report';
import { sampleRss } from './bench-rss';
import { warmMemory } from './bench-warm';
import { foregroundOf } from '../electron/services/engine/foreground';
import { sha256File } from '../electron/services/hash';

const ROWS = Number(process.env['VALLEY_BENCH_ROWS'] ?? 1_000_000);
const SHARDS = Number(process.env['VALLEY_BENCH_SHARDS'] ?? 50);
const ROUNDS = Number(process.env['VALLEY_BENCH_ROUNDS'] ?? 5);
const SEARCH_WORDS = ['kw1234', 'kw2718', 'kw3141', 'kw4669', 'kw1618'];

const load = loadTracker();
const sampleLoad = load.sample;
/**
 * Plain's turns count as foreground work in Valley's engine too: Valley's background word index build gives way
 * to each click (engine/foreground.ts), and it gives way to plain's turn the same, so neither side is measured
 * beside it.
 */
let asForeground = <T>(work: () => Promise<T>): Promise<T> => work();
const alternate = (rounds: number, valley: (i: number) => Promise<unknown>, plain: (i: number) => Promise<number>) =>
  alternateWith(load, rounds, valley, (i) => asForeground(() => plain(i)));
const compare = (
  label: string,
  r: { v: number[]; p: number[] },
  since: number,
  target?: { ok: (v: number, p: number) => boolean; text: string },
) => compareWith(load, label, r, since, target);

const main = async () => {
  const root = await mkdtemp(join(tmpdir(), 'valley-bench-scale-'));
  // VALLEY_BENCH_DATA=DIR keeps the generated shards in DIR/ROWSxSHARDS and reuses them on the next run (the 1M
  // generation alone takes ~13 minutes); without it they live in the temp folder and are deleted at the end.
  const keep = process.env['VALLEY_BENCH_DATA'];
  const shards = keep ? join(keep, `${ROWS}x${SHARDS}`) : join(root, 'shards');
  const reuse = keep !== undefined && existsSync(join(shards, '.complete'));
  if (!reuse) {
    await rm(shards, { recursive: true, force: true });
    await mkdir(shards, { recursive: true });
  }
  const glob = `${shards}/*.parquet`;
  let plain: Plain | null = null;
  let bench: BenchBackend | null = null;
  try {
    console.log(
      `bench:scale — ${ROWS.toLocaleString('en-US')} traces in ${SHARDS} Parquet shards, ${ROUNDS} alternating rounds; load at start ${load.now()}`,
    );
    console.log(warmMemory());
    const g0 = performance.now();
    const bytes = reuse ? shardBytes(shards) : await generate(shards, ROWS, SHARDS);
    if (keep && !reuse) await writeFile(join(shards, '.complete'), `${ROWS} rows in ${SHARDS} shards\n`);
    console.log(
      `${reuse ? `reused ${shards}:` : 'generated'} ${(bytes / 2 ** 30).toFixed(2)} GB of uncompressed Parquet (${(bytes / ROWS / 1024).toFixed(1)} KB a row, row groups of 1000)${reuse ? '' : ` in ${((performance.now() - g0) / 1000).toFixed(0)} s`}`,
    );
    plain = await startPlain(join(root, 'plain'));
    bench = await openBenchBackend(join(root, 'valley'), 'create');
    const { call } = bench;
    const gate = foregroundOf(bench.backend.services.workspace.engine);
    asForeground = (work) => gate.run(work);
    // the word index announces itself ready (the event the screen follows), so the bench need not poll for it
    let indexReady = false;
    const offIndex = bench.backend.services.bus.subscribe((name, payload) => {
      if (name === 'workspace.changed' && (payload as { what?: string }).what === 'indexes') indexReady = true;
    });
    const plainPid = new Set<number>([plain.pid]);
    // sampled from the attach through the search at the end (and the brush run's backend work)
    const rss = sampleRss(plainPid);
    const p = plain;
    const pq = async (sql: string, mode: 'run' | 'all' = 'all') => (await p.q(sql, mode)).ms ?? NaN;

    rss.phase('attach');
    // ---- attach: Valley's view (side table of parsed columns) vs plain building the same columns
    let since = load.mark();
    sampleLoad();
    let t0 = performance.now();
    await call('data.import', { paths: [shards], name: 'ocr2', storage: 'view', wait: true });
    const attachV = performance.now() - t0;
    const attached = performance.now(); // the word index's build starts here, in the background
    const attachP = await pq(plainSide(glob), 'run');
    sampleLoad();
    line(
      attachV / attachP <= 1.3,
      `${'attach (side table, one scan)'.padEnd(34)} Valley ${fmtMs(attachV)}   plain ${fmtMs(attachP)}   ratio ${(attachV / attachP).toFixed(2)}×  (target ≤ 1.3×) (${load.since(since)})`,
    );
    rss.phase('count cube');
    // ---- the facets' count cube, built before any facets are timed (precompute; plain DuckDB has none: the facets
    // line below cuts through a tokens bin, so Valley counts rows there too; the brush line reads the cube)
    line(null, `${'count cube for the facets'.padEnd(34)} built in ${fmtMs(await buildFacetCube(bench, 'ocr2'))}`);
    rss.phase('facets');
    // ---- facets, brushed
    since = load.mark();
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
      ['pass_rate', 'CASE WHEN pass_rate IS NOT NULL THEN least(floor(pass_rate * 10 + 1e-9), 10) END'],
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

    rss.phase('pages');
    // ---- pages at any offset
    const cols =
      'row_id, id, question_id, question_preview, correct, pass_rate, difficulty, source, think_close, response_chars, tokens';
    for (const [label, start] of [
      ['page of 100 @ 0', 0],
      ['page of 100 @ middle', Math.floor(ROWS / 2)],
      ['page of 100 @ end', ROWS - 100],
    ] as const) {
      since = load.mark();
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

    rss.phase('first page');
    // ---- first page after a new filter (a different range each round: nothing cached)
    since = load.mark();
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

    rss.phase('open trace');
    // ---- open one trace (different rows each round, the same rows on both sides)
    since = load.mark();
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

    // The word index is built in the background from the attach on, in Valley's DuckDB (plain has none): every
    // click (a page, a trace, the facets, a subset, an export) and plain's turns pause it (traces/search-index.ts
    // gives way to foreground work; its step in flight is interrupted and run again), and it resumes after half a
    // second without one. Each line says whether it was building.
    const indexState = async () =>
      ((await call('traces.facets', { dataset: 'ocr2' })) as { searchIndex?: string }).searchIndex ?? 'none';
    const besideIndex = (state: string) =>
      state === 'building' ? ' [word index building: paused while it runs]' : ` [word index ${state}]`;

    rss.phase('subsets');
    // ---- nested subsets 1K ⊂ 10K ⊂ 30K
    since = load.mark();
    const subsetIndex = besideIndex(await indexState());
    const sizes = [1000, 10_000, 30_000].filter((n) => n <= ROWS / 2);
    const top = sizes[sizes.length - 1] ?? 1000;
    const subsetRounds = 3;
    compare(
      `nested subset ${sizes.map((n) => `${n / 1000}K`).join('/')}`,
      await alternate(
        subsetRounds,
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
      { ok: (v, pl) => v / pl <= 1.5, text: `(target ≤ 1.5×)${subsetIndex}` },
    );

    rss.phase('export');
    // ---- torchtune export of the largest size vs plain DuckDB writing the same file. Valley's export is
    // byte-identical from run to run: the rows in the subset's order (issue 11, item 2). Plain DuckDB's way to the
    // same bytes is `COPY (… ORDER BY pos)`: the same rows (plain's `sub` holds the last subset round's, seed
    // subsetRounds, so Valley exports that round's subset), the same order, the same JSON — the SHA-256 of plain's
    // file must equal Valley's manifest's, checked below. Until 2026-12-03 plain's side was an unordered `COPY`, a
    // file in whatever order DuckDB's threads read the rows: less work than Valley's promise; it is still printed.
    since = load.mark();
    const exported = `bench${subsetRounds}`;
    const exportIndex = besideIndex(await indexState());
    const plainRows = (
      order: string,
    ) => `COPY (SELECT [{'role': 'user', 'content': question}, {'role': 'assistant', 'content': r1_generation}] AS messages
             FROM read_parquet('${glob}', filename = true, file_row_number = true) t
             JOIN (SELECT filename, file_row_number, pos FROM side JOIN sub USING (row_id)) s USING (filename, file_row_number)${order})`;
    const valleySha: string[] = [];
    const exp = await alternate(
      3,
      async (i) => {
        const r = (await call('curate.export', {
          subset: exported,
          sizes: [top],
          formats: ['torchtune'],
          outDir: join(root, `out-${i + 1}`),
          overwrite: true,
          wait: true,
        })) as { manifest?: { files: { sha256: string }[] } };
        valleySha.push(r.manifest?.files[0]?.sha256 ?? '?');
      },
      (i) => pq(`${plainRows(' ORDER BY pos')} TO '${join(root, `plain-${i + 1}.jsonl`)}' (FORMAT JSON)`, 'run'),
    );
    const plainSha = await sha256File(join(root, 'plain-1.jsonl'));
    const sameBytes = valleySha.every((h) => h === plainSha);
    const unordered = await alternate(
      3,
      async () => undefined,
      (i) => pq(`${plainRows('')} TO '${join(root, `plain-unordered-${i + 1}.jsonl`)}' (FORMAT JSON)`, 'run'),
    );
    const [ev, ep, eu] = [med(exp.v), med(exp.p), med(unordered.p)];
    line(
      ep / ev >= 0.8 && sameBytes,
      `${`torchtune export of ${top / 1000}K`.padEnd(34)} Valley ${mmm(exp.v)}   COPY … ORDER BY pos ${mmm(exp.p)}   throughput ratio ${(ep / ev).toFixed(2)}×  (target ≥ 0.8×; ${sameBytes ? 'the same bytes: SHA-256 equal' : `SHA-256 differ: Valley ${valleySha.join(', ')}, plain ${plainSha}`}) (${load.since(since)})${exportIndex}`,
    );
    line(
      null,
      `${'  the same rows, unordered COPY'.padEnd(34)} ${mmm(unordered.p)}   Valley's throughput ${(eu / ev).toFixed(2)}× of it (a file in no fixed order: less work than a byte-identical export)`,
    );

    rss.phase('index wait');
    // ---- the word index, built in the background since the attach (everything above ran beside it), then search
    t0 = performance.now();
    let state: string | undefined = 'building';
    // wait for the index (at most VALLEY_BENCH_INDEX_WAIT_S, default 30 min: after that searches scan and say so)
    const waitMs = Number(process.env['VALLEY_BENCH_INDEX_WAIT_S'] ?? 1800) * 1000;
    // (not by asking for the facets now and then: each ask is a click the build gives way to)
    state = await indexState();
    while (state === 'building' && !indexReady && performance.now() - t0 < waitMs)
      await new Promise((r) => setTimeout(r, 1000));
    offIndex();
    state = await indexState();
    const own = (await call('sql.query', {
      sql: "SELECT seconds FROM valley_search_indexes WHERE relation = 'ds_ocr2'",
    })) as { rows: unknown[][] };
    const buildS = Number(own.rows[0]?.[0] ?? NaN);
    line(
      null,
      `${'word index built in the background'.padEnd(34)} ${
        state === 'ready'
          ? `ready ${fmtMs(performance.now() - attached)} after the attach, ${fmtMs(performance.now() - t0)} after the measurements above; its build ${fmtMs(buildS * 1000)} from start to end, paused during the lines above (each click and plain's turns)`
          : `not ready after ${fmtMs(waitMs)} (${state})`
      } (precompute; plain has no index)`,
    );

    rss.phase('search');
    // ---- search, a word not searched before (each round a new word); same counts as ILIKE
    since = load.mark();
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

    const peakRss = rss.stop();
    line(
      peakRss < 1536,
      `${'backend RSS, peak of the session'.padEnd(34)} ${peakRss.toFixed(0)} MB (Valley's process and any engine process, attach to search; target < 1536 MB)`,
    );
    console.log(
      `    peak by phase (this process + engine process): ${rss
        .phases()
        .map(([k, mb]) => `${k} ${mb.all.toFixed(0)} (${mb.own.toFixed(0)} + ${(mb.all - mb.own).toFixed(0)})`)
        .join(', ')} MB`,
    );

    // ---- brush → histograms redrawn, in Chromium on this view; after the RSS's sampling (Chromium and playwright-core
    // are this process's, not Valley's), with the word index built (a brush is a click the build would pause for)
    const why = brushBenchUnavailable();
    if (why) line(false, `brush → every histogram redrawn: not measured (${why})`);
    else {
      since = load.mark();
      sampleLoad();
      const t = await measureBrush(bench, 'ocr2', 8);
      sampleLoad();
      const [first, second] = brushReport(t, ROWS);
      line(med(t.total) < 150, `${(first ?? '').slice(2)} (${load.since(since)})`);
      console.log(second);
    }
    console.log(`\nload (1-min average) over the run: ${load.since(0)}; at the end ${load.now()}`);
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
