import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { facetNames, type Facet, type FilterClause, type TraceFilter } from '../../shared/api';
import { facetsFromCube, facetsFromRows } from '../../electron/services/traces/facets';
import { traceDataset } from '../../electron/services/traces/filter-sql';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';

/**
 * The count cube (electron/services/traces/facet-cube.ts) against plain SQL: on random crossfilters, each facet's
 * bins from the cube equal those of the row queries and those of a GROUP BY written here, independently, over the
 * dataset's own table; brushes (ranges whose ends are bin edges) are always answered by the cube.
 */

/** A small seeded generator (mulberry32), so a failure can be replayed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};

type Rng = () => number;
const pickOne = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const subset = <T>(rng: Rng, xs: readonly T[]): T[] => xs.filter(() => rng() < 0.4);

const lit = (v: string | number | boolean | null): string =>
  v === null ? 'NULL' : typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v);

/** The plain SQL of a clause, written independently of filter-sql.ts. */
const plainSql = (c: FilterClause): string => {
  if (c.op === 'range') {
    const lo = c.min === null ? 'TRUE' : `${c.column} >= ${c.min}`;
    const hi = c.max === null ? 'TRUE' : `${c.column} <= ${c.max}`;
    return c.min === null && c.max === null ? 'TRUE' : `${c.column} IS NOT NULL AND ${lo} AND ${hi}`;
  }
  if (c.op === 'contains') return `coalesce(${c.column} ILIKE '%${c.text}%', FALSE)`;
  if (c.op !== 'in') throw new Error(`no plain SQL for ${c.op}`);
  const known = c.values.filter((v) => v !== null);
  const match = `(${known.length ? `${c.column} IN (${known.map(lit).join(', ')})` : 'FALSE'}${c.values.includes(null) ? ` OR ${c.column} IS NULL` : ''})`;
  return c.negate ? `NOT coalesce(${match}, FALSE)` : `coalesce(${match}, FALSE)`;
};

/** A brush as the histogram makes it: from the first chosen bin's start to the last one's end. */
const brushOf = (rng: Rng, f: Facet): FilterClause => {
  const a = Math.floor(rng() * f.bins.length);
  const b = Math.min(f.bins.length - 1, a + Math.floor(rng() * 6));
  return { op: 'range', column: f.column, min: f.bins[a]?.x0 ?? null, max: f.bins[b]?.x1 ?? null };
};

const randomFilter = (rng: Rng, all: readonly Facet[], brushesOnly: boolean): TraceFilter => {
  const clauses: FilterClause[] = [];
  for (const f of all) {
    if (rng() < 0.45) continue;
    if (f.kind === 'category' && f.name !== 'judgement' && rng() < 0.2) {
      // decided by DuckDB on each bin (an `in` is decided here, without a query)
      clauses.push({ op: 'contains', column: f.column, text: pickOne(rng, ['A', 'co', 'HARD', 'x']) });
    } else if (f.kind === 'category') {
      clauses.push({
        op: 'in',
        column: f.column,
        values: subset(
          rng,
          f.bins.map((b) => b.value),
        ),
        negate: rng() < 0.3,
      });
    } else if (brushesOnly || rng() < 0.5) {
      clauses.push(brushOf(rng, f));
      if (rng() < 0.25) clauses.push(brushOf(rng, f)); // two on one column: its own facet leaves out both
    } else {
      // anywhere, or a bin's edge or next to one
      const x = (f.bins[0]?.x0 ?? 0) + rng() * ((f.bins.at(-1)?.x1 ?? 1) - (f.bins[0]?.x0 ?? 0));
      const round = f.column === 'pass_rate' ? (v: number) => Math.round(v * 100) / 100 : Math.round;
      const bin = pickOne(rng, f.bins);
      const step = f.column === 'pass_rate' ? 0.01 : 1;
      const min = pickOne(rng, [null, round(x), x, bin.x0, (bin.x0 ?? 0) - step, (bin.x0 ?? 0) + step]);
      const max = pickOne(rng, [null, round(x * 1.2), x * 1.2, bin.x1, (bin.x1 ?? 0) - step, (bin.x1 ?? 0) + step]);
      clauses.push({ op: 'range', column: f.column, min, max });
    }
  }
  return { clauses, search: '', partition: null };
};

/** Each facet's nonzero bins (label → count) and the total, by plain GROUP BYs over `table`. */
const plainFacets = async (t: TestBackend, table: string, filter: TraceFilter, like: readonly Facet[]) => {
  const where = (except?: string) =>
    filter.clauses.flatMap((c) => (c.op !== 'sql' && c.column === except ? [] : [plainSql(c)])).join(' AND ') || 'TRUE';
  const sql = async (q: string) => (await t.call('sql.query', { sql: q, limit: 10_000 })).rows;
  const out: Record<string, Record<string, number>> = {};
  for (const f of like) {
    const rows = await sql(`SELECT ${f.column}, count(*) FROM ${table} WHERE ${where(f.column)} GROUP BY 1`);
    const bins: Record<string, number> = {};
    for (const [v, n] of rows) {
      let label: string | undefined;
      if (f.name === 'judgement') label = v === true ? 'correct' : v === false ? 'incorrect' : 'unknown';
      else if (f.kind === 'category') label = v === null ? '(none)' : String(v);
      // pass rate in tenths; a trace without a pass rate is in no bar
      else if (f.name === 'pass_rate')
        label = v === null ? undefined : f.bins[Math.min(Math.floor(Number(v) * 10 + 1e-9), 10)]?.label;
      else if (v !== null) label = f.bins.find((b) => (b.x0 ?? 0) <= Number(v) && Number(v) <= (b.x1 ?? 0))?.label;
      if (label !== undefined) bins[label] = (bins[label] ?? 0) + Number(n);
    }
    out[f.name] = bins;
  }
  const total = Number((await sql(`SELECT count(*) FROM ${table} WHERE ${where()}`))[0]?.[0]);
  return { total, bins: out };
};

const shown = (facets: readonly Facet[]) =>
  Object.fromEntries(
    facets.map((f) => [f.name, Object.fromEntries(f.bins.filter((b) => b.count > 0).map((b) => [b.label, b.count]))]),
  );

describe('facets from the count cube', () => {
  let t: TestBackend;
  let files: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 3000 });
    files = await tempDir('valley-cube-');
    // few distinct categories, so each cell of the cube holds many rows and a range can cut through one; pass rates
    // in 40ths (several to a bin, so DuckDB decides ranges on them); NULLs in every categorical column (every 20th
    // row) and in the pass rate (in no bar of its histogram)
    const path = await writeOcr2(join(files.dir, 'nulls.jsonl'), 600, (i) => ({
      difficulty: i % 20 === 0 ? null : i % 3 ? 'EASY' : 'HARD',
      judgement: i % 20 === 0 ? null : 'right',
      pass_rate: i % 20 === 10 ? null : String(Math.min(1, (i % 41) / 40)),
      source: i % 20 === 0 ? null : 'taco',
      r1_generation: i % 50 === 7 ? null : `<think>\n${'long '.repeat(i)}\n</think>\nprint(${i})\n`,
    }));
    await t.call('data.import', { paths: [path], name: 'nulls', wait: true });
  });
  afterAll(async () => {
    await t.close();
    await files.cleanup();
  });

  for (const [dataset, table, seed] of [
    ['demo-ocr2', 'ds_demo_ocr2', 11],
    ['nulls', 'ds_nulls', 12],
  ] as const) {
    it(`equals plain SQL counts on random crossfilters (${dataset})`, async () => {
      const engine = t.backend.services.workspace.engine;
      const d = await traceDataset(engine, dataset);
      const none: TraceFilter = { clauses: [], search: '', partition: null };
      const all = (await facetsFromRows(engine, d, none)).facets;
      const rng = random(seed);
      let answered = 0;
      for (let i = 0; i < 40; i++) {
        const brushes = i % 2 === 0;
        const filter = randomFilter(rng, all, brushes);
        const rows = await facetsFromRows(engine, d, filter);
        const plain = await plainFacets(t, table, filter, all);
        const what = JSON.stringify(filter.clauses);
        expect({ total: rows.total, bins: shown(rows.facets) }, what).toEqual(plain);
        const cube = await facetsFromCube(engine, d, filter, facetNames, true);
        if (brushes) expect(cube, `brushes answered by the cube: ${what}`).not.toBeNull();
        if (cube) {
          answered++;
          expect(cube, what).toEqual(rows);
        }
      }
      expect(answered).toBeGreaterThanOrEqual(20);
    });
  }

  it('leaves to the row queries what it cannot decide exactly', async () => {
    const engine = t.backend.services.workspace.engine;
    const d = await traceDataset(engine, 'demo-ocr2');
    const tokens = (await facetsFromRows(engine, d, { clauses: [], search: '', partition: null })).facets.find(
      (f) => f.name === 'tokens',
    );
    const edge = tokens?.bins[3]?.x0 ?? 0;
    const cut: TraceFilter = {
      clauses: [{ op: 'range', column: 'tokens', min: edge + 1, max: null }],
      search: '',
      partition: null,
    };
    expect(await facetsFromCube(engine, d, cut, facetNames, true)).toBeNull();
    for (const filter of [
      { clauses: [], search: 'print', partition: null },
      {
        clauses: [{ op: 'contains' as const, column: 'question' as const, text: 'Problem' }],
        search: '',
        partition: null,
      },
      { clauses: [{ op: 'sql' as const, where: 'tokens > 100' }], search: '', partition: null },
    ]) {
      expect(await facetsFromCube(engine, d, filter, facetNames, true)).toBeNull();
    }
    // a pass rate range that cuts its bin (0.4 to 0.475 there), decided by DuckDB
    const nulls = await traceDataset(engine, 'nulls');
    const passCut: TraceFilter = {
      clauses: [{ op: 'range', column: 'pass_rate', min: null, max: 0.41 }],
      search: '',
      partition: null,
    };
    expect(await facetsFromCube(engine, nulls, passCut, facetNames, true)).toBeNull();
    // the same range, ending on a bin edge, is a brush
    const brush = { ...cut, clauses: [{ op: 'range' as const, column: 'tokens' as const, min: edge, max: null }] };
    expect(await facetsFromCube(engine, d, brush, facetNames, true)).toEqual(await facetsFromRows(engine, d, brush));
  });
});
