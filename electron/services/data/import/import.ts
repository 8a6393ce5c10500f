import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { ValleyError, type BadLine, type ImportRequest, type ImportResult } from '../../../../shared/api';
import { detectPreset, fitRoles, presets } from '../../../../shared/domain/presets';
import type { Services } from '../../services';
import type { TaskContext } from '../../tasks/task-manager';
import { getDataset, registerDataset, relationFor } from '../registry';
import { ident, type Session } from '../../engine/engine';
import { createTableSql, createViewSql, dropRelations, sideTableFor, type BuildPlan } from './build';
import { STAGE_PREFIX } from '../../workspace/workspace';
import { explainImportError } from './errors';
import { scanJsonLines } from './diagnose';
import { resolveSource, type ResolvedSource } from './files';
import { fillExistingTraces, joinSourceQuestions } from './join';
import { checkTextRoles, type Roles } from './normalize';
import { defaultName, describeSource, VIEW_THRESHOLD_BYTES } from './preview';
import { countTokens, loadTokenizer } from './tokens';
import { deferCheckpoints } from './checkpoint';
import { raiseMemoryForImports } from './memory';
import { zstdProblem } from './zstd-check';
import { shapeJsonSource } from './text-shape';
import { searchIndexFor } from '../../traces/search-index';

/** Refuse truncated .zst files up front: DuckDB would read them silently up to where the data stops. */
const checkCompressed = async (src: ResolvedSource): Promise<void> => {
  for (const f of src.files.filter((x) => /\.zst$/i.test(x.path))) {
    const bad = await zstdProblem(f.path);
    if (!bad) continue;
    const scan = src.format === 'jsonl' ? await scanJsonLines(f.path, { stopAtFirst: true, maxProblems: 1 }) : null;
    const line = scan ? scan.lines + 1 : undefined;
    throw new ValleyError(
      'bad_input',
      `${f.path}${line ? `, line ${line}` : ''}: ${bad.problem} (at byte ${bad.offset})`,
      {
        file: f.path,
        ...(line ? { line } : {}),
        problem: bad.problem,
      },
    );
  }
};

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Skip mode for JSON Lines: copy the good lines of each file to the workspace's temp folder, count the rest. */
const cleanCopies = async (
  src: ResolvedSource,
  tmpDir: string,
  ctx: TaskContext,
): Promise<{ src: ResolvedSource; skipped: number; badLines: BadLine[]; temp: string[] }> => {
  const badLines: BadLine[] = [];
  let skipped = 0;
  let read = 0;
  const temp: string[] = [];
  const files = [];
  for (const f of src.files) {
    const out = `${tmpDir}/import-${randomUUID()}.jsonl`;
    temp.push(out);
    const r = await scanJsonLines(f.path, {
      cleanOut: out,
      maxProblems: 10,
      signal: ctx.signal,
      onBytes: (n) => {
        read += n;
        ctx.progress((0.3 * read) / src.totalBytes, `checking lines: ${mb(read)} of ${mb(src.totalBytes)}`);
      },
    });
    ctx.checkCancelled();
    skipped += r.problemCount;
    badLines.push(...r.problems.slice(0, Math.max(0, 10 - badLines.length)));
    files.push({ path: out, bytes: f.bytes });
  }
  return { src: { ...src, files }, skipped, badLines, temp };
};

/** Poll DuckDB's progress for the running statement while `work` runs. */
const withProgress = async <T>(
  s: Session,
  ctx: TaskContext,
  from: number,
  to: number,
  label: string,
  work: Promise<T>,
) => {
  const started = Date.now();
  const timer = setInterval(() => {
    const p = s.progress();
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    ctx.progress(p === null ? null : from + (to - from) * p, `${label} (${secs} s)`);
  }, 250);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
};

export const runImport = async (svc: Services, req: ImportRequest, ctx: TaskContext): Promise<ImportResult> => {
  const started = Date.now();
  const engine = svc.workspace.engine;
  const original = await resolveSource(engine, req.paths);
  const name = req.name ?? defaultName(req.paths, original);
  const relation = relationFor(name);
  const existing = await getDataset(engine, name);
  const clash = await engine.all('SELECT name FROM valley_datasets WHERE relation = $r AND name <> $n', {
    r: relation,
    n: name,
  });
  if ((existing && !req.replace) || clash.length > 0) {
    throw new ValleyError(
      'conflict',
      `A dataset named "${existing?.name ?? String(clash[0]?.['name'])}" already exists; choose another name or replace it`,
      {
        field: 'name',
      },
    );
  }
  await checkCompressed(original);
  const tokenizer = req.tokenizer ? await loadTokenizer(req.tokenizer) : null;
  const shaped = await shapeJsonSource(original, svc.workspace.path('.tmp'));
  let src = shaped.src;
  let skipped = 0;
  let badLines: BadLine[] = [];
  let temp: string[] = shaped.temp;
  if (req.skipBadLines && src.format === 'jsonl' && src.jsonFormat !== 'array') {
    const clean = await cleanCopies(src, svc.workspace.path('.tmp'), ctx);
    ({ src, skipped } = clean);
    badLines = clean.badLines.map((b) => ({ ...b, file: shaped.src.originals?.[b.file] ?? b.file }));
    temp = [...temp, ...clean.temp];
  } else if (req.skipBadLines && src.format === 'csv') {
    src = { ...src, readerOptions: 'ignore_errors = true, store_rejects = true' };
  }
  const s = await engine.session();
  const releaseCheckpoints = await deferCheckpoints(engine);
  let releaseMemory = async () => {};
  // should DuckDB crash on this input, the error (and the UI's notice) names the file the user gave
  const first = original.files[0]?.path ?? req.paths.join(', ');
  s.reading(original.files.length > 1 ? `${original.files.length} files (${first}, …)` : first);
  const onAbort = () => s.interrupt();
  ctx.signal.addEventListener('abort', onAbort);
  try {
    ctx.checkCancelled();
    // a small sample names the columns; the import scan detects types again on its own (larger) sample
    const columns = await describeSource(s, src, true);
    const detected = detectPreset(
      columns.map((c) => c.name),
      req.preset,
    );
    const roles: Roles = {
      ...detected.roles,
      ...fitRoles(
        { ...detected.roles, ...(req.roles ?? {}) },
        columns.map((c) => c.name),
      ),
    };
    for (const [role, column] of Object.entries(req.roles ?? {})) {
      if (column && !columns.some((c) => c.name === column)) {
        throw new ValleyError(
          'invalid_request',
          `Role ${role} is mapped to column "${column}", which the source does not have`,
          {
            field: `roles.${role}`,
          },
        );
      }
    }
    const kind = req.kind ?? detected.kind;
    if (kind === 'traces' && !roles.response) {
      throw new ValleyError(
        'invalid_request',
        'Map a column to the response (trace) role; the source has none that Valley recognizes',
        {
          field: 'roles.response',
        },
      );
    }
    checkTextRoles(roles, columns, req.unwrap ?? {}, original.files[0]?.path ?? '');
    const storage =
      req.storage === 'auto'
        ? src.format === 'parquet' && src.totalBytes > VIEW_THRESHOLD_BYTES
          ? 'view'
          : 'table'
        : req.storage;
    if (storage === 'view' && src.format !== 'parquet') {
      throw new ValleyError(
        'invalid_request',
        'Only Parquet sources can be attached as a view; JSONL and CSV are copied',
        { field: 'storage' },
      );
    }
    const stage = `${STAGE_PREFIX}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const compose = presets.find((p) => p.name === detected.preset)?.compose;
    const plan: BuildPlan = {
      src,
      columns,
      roles,
      unwrap: req.unwrap ?? {},
      ...(compose && roles.question === 'description' ? { compose } : {}),
      relation,
      side: sideTableFor(relation),
      storage,
      kind,
      stage,
    };
    const steps = storage === 'table' ? createTableSql(plan) : createViewSql(plan);
    // a copy writes the whole table (a view's side table is small: it keeps the 1 GB, and the browsing RSS budget)
    if (storage === 'table') releaseMemory = await raiseMemoryForImports(engine);
    await s.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET progress_bar_time = 0');
    /** Roll back the open transaction (and drop the staging table once it is committed); a cancel says so. */
    const abandon = async (error: unknown, stageCommitted: boolean): Promise<never> => {
      await s.run('ROLLBACK').catch(() => undefined);
      if (stageCommitted) await s.run(`DROP TABLE IF EXISTS ${ident(stage)}`).catch(() => undefined);
      throw ctx.signal.aborted ? new ValleyError('cancelled', 'Import cancelled; the workspace is as it was') : error;
    };
    // 1. the long scan writes a staging table that nothing refers to, committed on its own
    await s.run('BEGIN TRANSACTION');
    try {
      const label = `reading ${mb(src.totalBytes)} of ${src.format.toUpperCase()}`;
      const work = async () => {
        for (const sql of steps.stage) await s.run(sql);
      };
      await withProgress(s, ctx, skipped || temp.length ? 0.3 : 0, 0.85, label, work()).catch(
        async (error: unknown) => {
          throw await explainImportError(error, src, new Map(columns.map((c) => [c.name, c.type])));
        },
      );
      ctx.checkCancelled();
      await s.run('COMMIT');
    } catch (error) {
      await abandon(error, false);
    }
    // 2. one transaction publishes it: renamed, rows numbered, questions joined, registered (or nothing at all)
    await s.run('BEGIN TRANSACTION');
    try {
      if (existing) {
        await dropRelations(s, relation, plan.side);
        await s.run('DELETE FROM valley_datasets WHERE name = $n', { n: name });
      }
      for (const sql of steps.finish) await s.run(sql);
      ctx.checkCancelled();
      if (src.readerOptions) {
        const rejects = await s.all('SELECT line, error_message FROM reject_errors ORDER BY line LIMIT 10');
        const count = await s.all('SELECT count(DISTINCT line) AS n FROM reject_errors');
        skipped = Number(count[0]?.['n'] ?? 0);
        badLines = rejects.map((r) => ({
          file: src.files[0]?.path ?? '',
          line: Number(r['line']),
          problem: String(r['error_message']),
        }));
      }
      const table = storage === 'table' ? relation : plan.side;
      const countRows = await s.all(`SELECT count(*) AS n FROM "${table}"`);
      const rows = Number(countRows[0]?.['n'] ?? 0);
      if (rows === 0)
        throw new ValleyError('bad_input', `${original.files[0]?.path}: no rows to import`, {
          file: original.files[0]?.path,
        });
      let joinedQuestions = 0;
      const hasJoinKeys = ['dataset', 'index'].every((k) => columns.some((c) => c.name === k));
      if (kind === 'traces' && hasJoinKeys && roles.question) {
        ctx.progress(0.87, 'joining questions from source datasets');
        joinedQuestions = await joinSourceQuestions(
          s,
          storage === 'table'
            ? { table, question: 'question', dataset: 'dataset', index: 'index', preview: 'question_preview' }
            : { table, question: 'question_fill', dataset: '_dataset', index: '_index', preview: 'question_preview' },
        );
      }
      if (tokenizer) {
        await countTokens(
          s,
          tokenizer,
          relation,
          table,
          rows,
          (done) => ctx.progress(0.9 + (0.09 * done) / rows, `counting tokens: ${done} of ${rows}`),
          () => ctx.checkCancelled(),
        );
      }
      await registerDataset(s, {
        name,
        kind,
        relation,
        storage,
        preset: detected.preset,
        roles,
        sources: original.files.map((f) => f.path),
        rows,
        isDemo: false,
        tokensEstimated: tokenizer === null,
      });
      if (kind === 'source') {
        ctx.progress(0.95, 'filling questions of trace datasets that point here');
        joinedQuestions = await fillExistingTraces(s);
      }
      ctx.checkCancelled();
      await s.run('COMMIT');
      svc.bus.emit('workspace.changed', { what: 'datasets' });
      const dataset = await getDataset(engine, name);
      if (!dataset) throw new ValleyError('internal', `Dataset ${name} vanished after import`);
      if (kind === 'traces') searchIndexFor(engine).ensure(dataset); // built in the background; search scans meanwhile
      const rate = original.totalBytes / 2 ** 20 / Math.max(0.001, (Date.now() - started) / 1000);
      ctx.progress(
        1,
        `${rows} rows imported (${rate.toFixed(0)} MB/s)${skipped ? `, ${skipped} bad line(s) skipped` : ''}${joinedQuestions ? `, ${joinedQuestions} questions joined` : ''}`,
      );
      return { dataset, rows, skipped, badLines, joinedQuestions, seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      return await abandon(error, true);
    }
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    s.close();
    await releaseCheckpoints().catch(() => undefined);
    await releaseMemory().catch(() => undefined);
    await Promise.all(temp.map((t) => rm(t, { force: true })));
  }
};

export const dropDataset = async (svc: Services, name: string): Promise<boolean> => {
  const d = await getDataset(svc.workspace.engine, name);
  if (!d) return false;
  await svc.workspace.engine.transaction(async (s) => {
    await dropRelations(s, d.relation, sideTableFor(d.relation));
    await s.run('DELETE FROM valley_datasets WHERE name = $n', { n: name });
  });
  svc.bus.emit('workspace.changed', { what: 'datasets' });
  return true;
};
