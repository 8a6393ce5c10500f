import { ValleyError, traceRoles, type TraceRole } from '../../../shared/api';
import { presetNames, type PresetName } from '../../../shared/domain/presets';
import { listOption, stringOption, type Command, type CommandContext } from '../command';
import { formatTable } from '../table';

const keyValues = (items: string[], flag: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    if (at <= 0) throw new ValleyError('invalid_request', `--${flag} takes key=value, not "${item}"`, { field: flag });
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
};

/** Print task progress to stderr while a long call runs (never with --json). */
const withProgress = async <T>(ctx: CommandContext, work: () => Promise<T>): Promise<T> => {
  const backend = await ctx.backend('create');
  let last = '';
  const stop = backend.services.bus.subscribe((name, payload) => {
    if (name !== 'task.updated' || ctx.json) return;
    const task = payload as { progress: number | null; detail: string; state: string };
    const line = `${task.progress === null ? '' : `${Math.round(task.progress * 100)}% `}${task.detail}`;
    if (task.state === 'running' && line !== last && process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(70)}`);
    last = line;
  });
  try {
    return await work();
  } finally {
    stop();
    if (process.stderr.isTTY && !ctx.json && last) process.stderr.write('\r'.padEnd(72) + '\r');
  }
};

export const importCommand: Command = {
  name: 'import',
  summary: 'Import trace datasets: JSONL (.gz, .zst), Parquet (file, folder of shards, glob), CSV/TSV',
  usage:
    'valley import [--workspace DIR] [--json] [--preset ocr2|ocr1|taco|chat|auto] [--name NAME] [--role ROLE=COLUMN …] [--unwrap question|response=first|last|join] [--storage auto|table|view] [--skip-bad-lines] [--tokenizer tokenizer.json] [--replace] PATH…',
  options: {
    preset: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', multiple: true },
    unwrap: { type: 'string', multiple: true },
    storage: { type: 'string' },
    'skip-bad-lines': { type: 'boolean' },
    tokenizer: { type: 'string' },
    replace: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length === 0)
      throw new ValleyError('invalid_request', 'Give at least one file, folder or glob to import', { field: 'paths' });
    const preset = stringOption(ctx.values, 'preset') ?? 'auto';
    if (!(presetNames as readonly string[]).includes(preset)) {
      throw new ValleyError('invalid_request', `--preset must be one of ${presetNames.join(', ')}`, {
        field: 'preset',
      });
    }
    const roles = keyValues(listOption(ctx.values, 'role'), 'role');
    for (const role of Object.keys(roles)) {
      if (!(traceRoles as readonly string[]).includes(role)) {
        throw new ValleyError('invalid_request', `--role: unknown role "${role}" (roles: ${traceRoles.join(', ')})`, {
          field: 'role',
        });
      }
    }
    const unwrap = keyValues(listOption(ctx.values, 'unwrap'), 'unwrap');
    for (const [role, how] of Object.entries(unwrap)) {
      if (!['question', 'response'].includes(role) || !['first', 'last', 'join'].includes(how)) {
        throw new ValleyError(
          'invalid_request',
          `--unwrap ${role}=${how}: use question= or response= with first, last or join`,
          { field: 'unwrap' },
        );
      }
    }
    const storage = stringOption(ctx.values, 'storage') ?? 'auto';
    if (!['auto', 'table', 'view'].includes(storage))
      throw new ValleyError('invalid_request', '--storage must be auto, table or view', { field: 'storage' });
    const { result } = await withProgress(ctx, () =>
      ctx.call('data.import', {
        paths: ctx.positionals,
        preset: preset as PresetName,
        name: stringOption(ctx.values, 'name'),
        roles: roles as Partial<Record<TraceRole, string>>,
        unwrap: unwrap as Partial<Record<'question' | 'response', 'first' | 'last' | 'join'>>,
        storage: storage as 'auto' | 'table' | 'view',
        skipBadLines: ctx.values['skip-bad-lines'] === true,
        tokenizer: stringOption(ctx.values, 'tokenizer'),
        replace: ctx.values['replace'] === true,
        wait: true,
      }),
    );
    if (!result) throw new ValleyError('internal', 'The import finished without a result');
    const d = result.dataset;
    const lines = [
      `Imported ${d.name}: ${d.rows} rows (${d.preset}, ${d.kind}, ${d.storage}) in ${result.seconds.toFixed(1)} s → ${d.relation}`,
      ...(result.joinedQuestions ? [`${result.joinedQuestions} questions filled in from source datasets`] : []),
      ...(result.skipped
        ? [
            `Skipped ${result.skipped} bad line(s):`,
            ...result.badLines.map((b) => `  ${b.file}:${b.line}: ${b.problem}`),
          ]
        : []),
      `Tokens: ${d.tokensEstimated ? 'estimated (pass --tokenizer for exact counts)' : 'counted with the tokenizer'}`,
    ];
    return { json: result, text: lines.join('\n') };
  },
};

export const resultsImportCommand: Command = {
  name: 'results import',
  summary: 'Import results as runs: LiveCodeBench *_eval_all.json / *_eval.json, torchtune logs, runs CSV',
  usage: 'valley results import [--workspace DIR] [--json] [--run-label KEY=VALUE …] [--run ID] PATH…',
  options: { 'run-label': { type: 'string', multiple: true }, run: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length === 0)
      throw new ValleyError('invalid_request', 'Give at least one results file', { field: 'paths' });
    const labels = keyValues(listOption(ctx.values, 'run-label'), 'run-label');
    const { result } = await withProgress(ctx, () =>
      ctx.call('results.import', {
        paths: ctx.positionals,
        labels,
        runId: stringOption(ctx.values, 'run'),
        wait: true,
      }),
    );
    if (!result) throw new ValleyError('internal', 'The results import finished without a result');
    const rows = result.runs.map((r) => [
      r.id,
      r.name,
      r.student,
      r.size,
      r.partition,
      r.seed,
      fmt(r.metrics['pass@1']),
      r.problems,
    ]);
    return {
      json: result,
      text: `${formatTable(['id', 'name', 'student', 'size', 'partition', 'seed', 'pass@1', 'problems'], rows)}\n(${result.runs.length} run(s) from ${result.files.length} file(s))`,
    };
  },
};

const fmt = (v: number | undefined) => (v === undefined ? '' : v.toFixed(6));

/** The roles people look for first come first (the table clips long cells). */
const roleOrder = ['response', 'question', 'correct', 'passRate', 'difficulty', 'questionId', 'source', 'split', 'id'];

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'Datasets in the workspace: names, row counts, roles',
  usage: 'valley datasets [--workspace DIR] [--json]',
  options: {},
  async run(ctx) {
    const { datasets } = await ctx.call('data.datasets', {});
    const rows = datasets.map((d) => [
      d.name,
      d.kind,
      d.rows,
      d.preset,
      d.storage,
      roleOrder
        .filter((r) => d.roles[r])
        .map((r) => `${r}=${d.roles[r]}`)
        .join(' '),
    ]);
    return { json: { datasets }, text: formatTable(['name', 'kind', 'rows', 'preset', 'storage', 'roles'], rows) };
  },
};

export const runsCommand: Command = {
  name: 'runs',
  summary:
    "Runs with their metrics; `rename ID NAME` renames one; `problems ID` lists a run's problems; `problem QID` shows one across runs",
  usage:
    'valley runs [--workspace DIR] [--json] | valley runs rename ID NAME | valley runs problems ID | valley runs problem QUESTION_ID [RUN_ID…]',
  options: {},
  async run(ctx) {
    if (ctx.positionals[0] === 'problems') {
      const id = ctx.positionals[1];
      if (!id) throw new ValleyError('invalid_request', 'Give the run id: valley runs problems ID', { field: 'id' });
      const r = await ctx.call('runs.problems', { id });
      const rows = r.problems.map((p) => [
        p.questionId,
        p.difficulty ?? '',
        p.n,
        p.passed,
        fmt(p.pass1),
        p.title ?? '',
      ]);
      return { json: r, text: formatTable(['question', 'difficulty', 'n', 'passed', 'pass@1', 'title'], rows) };
    }
    if (ctx.positionals[0] === 'problem') {
      const [, questionId, ...runIds] = ctx.positionals;
      if (!questionId)
        throw new ValleyError('invalid_request', 'Give the question id: valley runs problem QUESTION_ID [RUN_ID…]', {
          field: 'questionId',
        });
      const r = await ctx.call('runs.problem', { questionId, runIds, only: runIds.length > 0 });
      const rows = r.runs.map((x) => [x.run.id, x.run.name, x.n, x.passed, fmt(x.pass1), x.outputs.length]);
      const head = `${r.questionId}${r.title ? ` ${r.title}` : ''} (${r.difficulty ?? 'difficulty unknown'})`;
      return { json: r, text: `${head}\n${formatTable(['run', 'name', 'n', 'passed', 'pass@1', 'outputs'], rows)}` };
    }
    if (ctx.positionals[0] === 'rename') {
      const [, id, name] = ctx.positionals;
      if (!id || name === undefined)
        throw new ValleyError('invalid_request', 'Give the run id and its new name: valley runs rename ID NAME', {
          field: 'name',
        });
      const { run } = await ctx.call('runs.update', { id, name });
      return { json: { run }, text: `Run ${run.id} is now "${run.name}"` };
    }
    const { runs } = await ctx.call('runs.list', {});
    const rows = runs.map((r) => [
      r.id,
      r.student,
      r.size,
      r.partition,
      r.seed,
      fmt(r.metrics['pass@1']),
      fmt(r.metrics['pass@1/easy']),
      fmt(r.metrics['pass@1/medium']),
      fmt(r.metrics['pass@1/hard']),
      fmt(r.metrics['completion_rate']),
    ]);
    return {
      json: { runs },
      text: formatTable(
        ['id', 'student', 'size', 'partition', 'seed', 'pass@1', 'easy', 'medium', 'hard', 'completion'],
        rows,
      ),
    };
  },
};
