import type { DatasetInfo } from '../../../shared/api';
import { ident, literal, type Engine, type Session } from '../engine/engine';
import { foregroundOf } from '../engine/foreground';
import { STAGE_PREFIX } from '../workspace/workspace';
import { sideTableFor } from '../data/import/build';
import { questionTableBuilt, questionTableSql } from './question-index';

/**
 * A word index of a dataset's texts, built in the background after import from plain DuckDB tables (DuckDB's fts
 * extension cannot be downloaded here): `dsv_<x>` is the vocabulary (each distinct lowercased run of ASCII word
 * characters, `\w+` in RE2, with an id) and `dsw_<x>` the postings (token id, row id), sorted by token id so a lookup
 * reads a few row groups.
 *
 * Search keeps ILIKE's meaning exactly. A search word made only of word characters occurs in lower(question) or
 * lower(response) exactly when some token of that row contains it (an occurrence can only lie inside one maximal
 * run of word characters), so its rows are the postings of the vocabulary entries that contain it: no text is read.
 * Any other word (punctuation, non-ASCII letters) has candidates — rows holding, for each of its word runs, a token
 * containing that run — which are then checked with the same ILIKE the scan uses, on just those rows. A word with
 * no word characters at all falls back to the scan, as does any search while the index is being built.
 */
export type SearchIndexState = 'ready' | 'building' | 'none';

const suffix = (relation: string) => relation.replace(/^ds_/, '');
export const vocabTable = (relation: string): string => `dsv_${suffix(relation)}`;
export const postingsTable = (relation: string): string => `dsw_${suffix(relation)}`;
const versionOf = (d: DatasetInfo) => `${d.rows}|${d.createdAt}`;

export interface SearchIndex {
  state(d: DatasetInfo): Promise<SearchIndexState>;
  /** Start building the index of `d` in the background unless it is built or being built. */
  ensure(d: DatasetInfo): void;
  /** Resolves when the build started by ensure() ends (for tests and benchmarks). */
  whenBuilt(d: DatasetInfo): Promise<void>;
  /** Called with a dataset's relation each time its index is built (the screen stops saying "indexing"). */
  onBuilt(listener: (relation: string) => void): () => void;
  /** SQL selecting the row ids that match `search` (every word), or null when the index cannot answer yet. */
  matchesSql(d: DatasetInfo, search: string, verify: (word: string) => string): Promise<string | null>;
}

const indexes = new WeakMap<Engine, SearchIndex>();

const metaTable = `CREATE TABLE IF NOT EXISTS valley_search_indexes (relation VARCHAR PRIMARY KEY, version VARCHAR NOT NULL,
  tokens BIGINT NOT NULL, postings BIGINT NOT NULL, seconds DOUBLE NOT NULL)`;

/**
 * The distinct tokens of a row's texts, one per row: every run of non-word characters becomes one space and the
 * pieces are the maximal runs of word characters (the empty ends are dropped by the caller). The same tokens as
 * `regexp_extract_all(…, '\w+')`; at 10K OCR2 rows, 2.0 CPU-s where regexp_extract_all took 2.8.
 */
const TOKENS = `list_distinct(string_split(regexp_replace(lower(coalesce(question, '') || ' ' || coalesce(response, '')), ${literal('\\W+')}, ' ', 'g'), ' '))`;
/** Postings per step of the id mapping and the sort: a step's memory stays bounded whatever the dataset's size. */
const POSTINGS_PER_STEP = 4_000_000;
/**
 * Rows a view's tokenizing step reads at most. A step interrupted by a click is run again from its start, so a
 * step is what one click can cost the build: at 1M OCR2-shaped rows in 50 files (load ~5), a whole file of 20K rows
 * took 10.7 s, 5,000 rows of it 2.9 s, 2,000 rows 3.1–3.6 s.
 */
const VIEW_STEP_ROWS = 5_000;
/** A build resumes once no foreground work has run for this long (foreground.ts quiet()). */
const RESUME_AFTER_MS = 500;

/**
 * The row ranges [from, to) a build tokenizes one step at a time: a view's one file each, cut into VIEW_STEP_ROWS
 * (its rows are numbered file by file; at 20K rows in 5 files, file-sized steps took 5.5 s where 1,000-row steps
 * took 16 s and one statement 7.6 s), a table's about 1/20 of its rows (at least 1,000). Disjoint and covering by
 * construction.
 */
const cut = (a: number, b: number, size: number): [number, number][] => {
  const out: [number, number][] = [];
  for (let x = a; x < b; x += size) out.push([x, Math.min(b, x + size)]);
  return out;
};

const stepRanges = async (s: Session, d: DatasetInfo): Promise<[number, number][]> => {
  const view = d.storage === 'view';
  const ids = ident(view ? sideTableFor(d.relation) : d.relation);
  const rows = await s.all(
    view
      ? `SELECT min(row_id) AS lo, max(max(row_id)) OVER () AS hi FROM ${ids} GROUP BY _file_idx ORDER BY lo`
      : `SELECT min(row_id) AS lo, max(row_id) AS hi FROM ${ids}`,
  );
  const first = rows[0];
  if (!first || first['lo'] === null) return [];
  const bounds = rows.map((r) => Number(r['lo']));
  const end = Number(first['hi']) + 1;
  const n = Math.max(1_000, Math.ceil(d.rows / 20));
  if (!view) for (let a = (bounds[0] as number) + n; a < end; a += n) bounds.push(a);
  const ranges = bounds.map((a, i): [number, number] => [a, bounds[i + 1] ?? end]);
  return view ? ranges.flatMap(([a, b]) => cut(a, b, VIEW_STEP_ROWS)) : ranges;
};

/**
 * Runs a build's statements one by one, giving way to foreground work (foreground.ts): before each statement it
 * waits until none has run for RESUME_AFTER_MS, and when some starts it interrupts the running statement (which DuckDB rolls back) and runs
 * it again once the foreground work is done. Every statement is therefore written to be run again as it is.
 */
const yieldingSteps = (engine: Engine, s: Session) => {
  const gate = foregroundOf(engine);
  let running = false;
  let stopped = false;
  const off = gate.onBusy(() => {
    if (!running) return;
    stopped = true;
    s.interrupt();
  });
  const step = async (sql: string): Promise<void> => {
    for (;;) {
      await gate.quiet(RESUME_AFTER_MS);
      if (gate.busy()) continue;
      stopped = false;
      running = true;
      try {
        await s.run(sql);
        return;
      } catch (error) {
        if (!stopped) throw error;
      } finally {
        running = false;
      }
    }
  };
  return { step, close: off };
};

/**
 * The tok_id ranges [lo, next lo) of the postings' sort steps, each of about POSTINGS_PER_STEP postings (a token's
 * postings are never split), in order: sorting range after range writes the postings sorted by (tok_id, row_id)
 * while a step sorts a bounded number of them. `ids` is the quoted name of the (tok_id, row_id) table.
 */
const sortRanges = async (s: Session, ids: string): Promise<number[]> =>
  (
    await s.all(
      `SELECT min(tok_id) AS lo FROM (SELECT tok_id, (sum(n) OVER (ORDER BY tok_id) - n) // ${POSTINGS_PER_STEP} AS k
         FROM (SELECT tok_id, count(*) AS n FROM ${ids} GROUP BY tok_id)) GROUP BY k ORDER BY lo`,
    )
  ).map((r) => Number(r['lo']));

/**
 * Builds the index in steps of bounded size, each a statement that can be run again as it is (yieldingSteps). The
 * texts are read once, one file (or 1/20 of a table) at a time: a step's (row_id, token) pairs go to a TEMP table,
 * its tokens not seen before get the next ids in the vocabulary, and its postings are written as (tok_id, row_id).
 * The postings are then sorted one tok_id range at a time. No table of every (row_id, token) string is kept: at 1M
 * traces that was 89M strings, read again whole for the vocabulary (one 4–9 s statement) and once more for the ids.
 */
const build = async (engine: Engine, d: DatasetInfo): Promise<void> => {
  const started = performance.now();
  const s = await engine.session();
  const { step, close } = yieldingSteps(engine, s);
  const stage = (what: string) => ident(`${STAGE_PREFIX}${what}_${suffix(d.relation)}`.slice(0, 120));
  const [voc, ids, tmp] = [stage('voc'), stage('ids'), ident(`${STAGE_PREFIX}step_tok`)];
  const [v, w] = [ident(vocabTable(d.relation)), ident(postingsTable(d.relation))];
  try {
    // first the small table a trace's siblings are read from (question-index.ts), at once: a second or two at 1M,
    // where giving way to clicks could put it off through a whole browsing session
    await s.run(questionTableSql(d));
    questionTableBuilt(engine, d);
    await s.run(metaTable);
    await s.run(`DELETE FROM valley_search_indexes WHERE relation = ${literal(d.relation)}`);
    await s.run(`CREATE OR REPLACE TABLE ${voc} (tok VARCHAR, tok_id INTEGER)`);
    await s.run(`CREATE OR REPLACE TABLE ${ids} (tok_id INTEGER, row_id INTEGER)`);
    for (const [a, b] of await stepRanges(s, d)) {
      // each statement can be run again as it is: the TEMP table is replaced, a vocabulary insert adds only the
      // tokens still missing, and an interrupted INSERT is rolled back (autocommit), so its postings are added once
      await step(
        `CREATE OR REPLACE TEMP TABLE ${tmp} AS SELECT row_id, tok FROM (SELECT row_id::INTEGER AS row_id, unnest(${TOKENS}) AS tok
           FROM ${ident(d.relation)} WHERE row_id >= ${a} AND row_id < ${b}) WHERE tok <> ''`,
      );
      await step(
        `INSERT INTO ${voc} SELECT tok, ((SELECT coalesce(max(tok_id) + 1, 0) FROM ${voc}) + row_number() OVER (ORDER BY tok) - 1)::INTEGER
           FROM (SELECT DISTINCT tok FROM ${tmp}) n WHERE NOT EXISTS (SELECT 1 FROM ${voc} x WHERE x.tok = n.tok)`,
      );
      await step(`INSERT INTO ${ids} SELECT x.tok_id, t.row_id FROM ${tmp} t JOIN ${voc} x USING (tok)`);
    }
    await s.run(`DROP TABLE IF EXISTS ${tmp}`);
    await s.run(`DROP TABLE IF EXISTS ${v}`);
    await s.run(`ALTER TABLE ${voc} RENAME TO ${v}`);
    await s.run(`CREATE OR REPLACE TABLE ${w} (tok_id INTEGER, row_id INTEGER)`);
    const los = await sortRanges(s, ids);
    for (const [i, lo] of los.entries()) {
      const hi = los[i + 1];
      await step(
        `INSERT INTO ${w} SELECT tok_id, row_id FROM ${ids} WHERE tok_id >= ${lo}${hi === undefined ? '' : ` AND tok_id < ${hi}`} ORDER BY tok_id, row_id`,
      );
    }
    await s.run(`DROP TABLE ${ids}`);
    const counts = await s.all(`SELECT (SELECT count(*) FROM ${v}) AS tokens, (SELECT count(*) FROM ${w}) AS postings`);
    await s.run(`INSERT OR REPLACE INTO valley_search_indexes VALUES ($r, $v, $t, $p, $s)`, {
      r: d.relation,
      v: versionOf(d),
      t: Number(counts[0]?.['tokens'] ?? 0),
      p: Number(counts[0]?.['postings'] ?? 0),
      s: (performance.now() - started) / 1000,
    });
  } catch (error) {
    for (const t of [tmp, voc, ids]) await s.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    throw error;
  } finally {
    close();
    s.close();
  }
};

/** A search's words, as the scan splits them. */
const wordsOf = (search: string) => search.split(/\s+/).filter(Boolean);
const isRun = (word: string) => /^\w+$/.test(word.toLowerCase());
const runsOf = (word: string) => word.toLowerCase().match(/\w+/g) ?? [];

export const searchIndexFor = (engine: Engine): SearchIndex => {
  const existing = indexes.get(engine);
  if (existing) return existing;
  const building = new Map<string, Promise<void>>();
  const listeners = new Set<(relation: string) => void>();
  const ready = new Map<string, string>(); // relation → version known to be built
  const meta = engine.run(metaTable);
  // awaited (and its failure reported) by the first question about an index; the index object is made when the
  // workspace opens (services.ts follows its builds), so a workspace closed at once must not leave it unhandled
  meta.catch(() => undefined);
  const isReady = async (d: DatasetInfo): Promise<boolean> => {
    if (ready.get(d.relation) === versionOf(d)) return true;
    await meta;
    const rows = await engine.all('SELECT version FROM valley_search_indexes WHERE relation = $r', { r: d.relation });
    const ok = rows[0]?.['version'] === versionOf(d);
    if (ok) ready.set(d.relation, versionOf(d));
    return ok;
  };
  const index: SearchIndex = {
    async state(d) {
      if (await isReady(d)) return 'ready';
      return building.has(`${d.relation}|${versionOf(d)}`) ? 'building' : 'none';
    },
    ensure(d) {
      const key = `${d.relation}|${versionOf(d)}`;
      if (building.has(key)) return;
      const work = (async () => {
        // a build can lose a write conflict to another dataset's build or import running beside it: try again
        for (let attempt = 1; ; attempt++) {
          if (await isReady(d)) return;
          try {
            await build(engine, d);
            ready.set(d.relation, versionOf(d));
            for (const l of listeners) l(d.relation);
            return;
          } catch (error) {
            if (attempt >= 3) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          }
        }
      })();
      building.set(key, work);
      work.then(
        () => building.delete(key),
        () => building.delete(key), // a failed build leaves the scan in charge; the next ensure() tries again
      );
    },
    onBuilt(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async whenBuilt(d) {
      await building.get(`${d.relation}|${versionOf(d)}`)?.catch(() => undefined);
    },
    async matchesSql(d, search, verify) {
      const words = wordsOf(search);
      if (words.length === 0 || words.some((word) => runsOf(word).length === 0)) return null;
      if (!(await isReady(d))) {
        index.ensure(d);
        return null;
      }
      const [v, w] = [ident(vocabTable(d.relation)), ident(postingsTable(d.relation))];
      const rowsWith = (run: string) =>
        `SELECT row_id FROM ${w} WHERE tok_id IN (SELECT tok_id FROM ${v} WHERE contains(tok, ${literal(run)}))`;
      const sets = words.map((word) => {
        if (isRun(word)) return rowsWith(word.toLowerCase());
        const candidates = runsOf(word).map(rowsWith).join(' INTERSECT ');
        return `SELECT row_id FROM ${ident(d.relation)} WHERE row_id IN (${candidates}) AND ${verify(word)}`;
      });
      return sets.map((x) => `(${x})`).join(' INTERSECT ');
    },
  };
  indexes.set(engine, index);
  return index;
};
