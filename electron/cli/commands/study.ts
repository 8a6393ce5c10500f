import { readFile } from 'node:fs/promises';
import { ValleyError, type StudyPlan, type StudyStatus } from '../../../shared/api';
import type { StudyInput } from '../../../shared/domain/study';
import { listOption, stringOption, type Command, type CommandContext, type OptionValues } from '../command';
import { formatTable } from '../table';

const listOf = (values: OptionValues, name: string): string[] =>
  listOption(values, name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

const numbersOf = (values: OptionValues, name: string): number[] =>
  listOf(values, name).map((v) => {
    const n = Number(v.replace(/k$/i, '000'));
    if (!Number.isInteger(n))
      throw new ValleyError('invalid_request', `--${name}: "${v}" is not a whole number`, { field: name });
    return n;
  });

const need = (ctx: CommandContext, what: string): string => {
  const v = ctx.positionals[1];
  if (!v)
    throw new ValleyError('invalid_request', `Give the ${what}: valley study ${ctx.positionals[0] ?? ''} NAME`, {
      field: 'name',
    });
  return v;
};

const gb = (bytes: number): string =>
  bytes < 1e9 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e9).toFixed(bytes < 1e10 ? 2 : 0)} GB`;
const tokens = (n: number): string => (n < 1e9 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e9).toFixed(2)}B`);
const hours = (h: number): string => (h < 10 ? h.toFixed(2) : h.toFixed(0));

export const planText = (p: StudyPlan): string => {
  const e = p.estimate;
  return [
    `Study ${p.name}: ${p.conditions.length} conditions × ${p.students.length} students × ${p.seeds.length} seeds = ${e.cells} cells`,
    `Jobs: ${e.jobs} (${e.trainJobs} training, ${e.evalJobs} evaluation)`,
    `GPU-hours: ${hours(e.gpuHours)} (training ${hours(e.trainGpuHours)} for ${tokens(e.trainTokens)} tokens seen, evaluation ${hours(e.evalGpuHours)})`,
    `Disk: ${gb(e.dataBytes)} of exports (uploaded once each), ${gb(e.checkpointBytes)} of checkpoints on the cluster`,
    '',
    formatTable(
      ['subset', 'partition', 'sizes', 'saved'],
      p.subsets.map((s) => [s.name, s.partition ?? '(all)', s.sizes.join(', '), s.exists ? 'yes' : 'no']),
    ),
    ...(p.warnings.length ? ['', ...p.warnings.map((w) => `! ${w}`)] : []),
  ].join('\n');
};

export const statusText = (s: StudyStatus): string => {
  const headers = [
    'condition',
    ...s.students.flatMap((st) => s.seeds.map((seed) => `${st.split('/').pop() ?? st} s${seed}`)),
  ];
  const rows = s.conditions.map((c) => [
    c.label,
    ...s.students.flatMap((st) =>
      s.seeds.map((seed) => {
        const cell = s.cells.find((x) => x.condition === c.id && x.student === st && x.seed === seed);
        return cell
          ? cell.state === 'done' && cell.score !== null
            ? `done ${cell.score.toFixed(3)}`
            : cell.state
          : '';
      }),
    ),
  ]);
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return `Study ${s.name}: ${counts}\n\n${formatTable(headers, rows)}`;
};

const newStudy = async (ctx: CommandContext): Promise<StudyInput> => {
  const name = need(ctx, 'study name');
  const dataset = stringOption(ctx.values, 'dataset');
  const draft = (await ctx.call('study.draft', { name, ...(dataset ? { dataset } : {}) })).study as StudyInput;
  const sizes = numbersOf(ctx.values, 'sizes');
  const seeds = numbersOf(ctx.values, 'seeds');
  const students = listOf(ctx.values, 'students');
  const ablations = listOf(ctx.values, 'ablations');
  const cluster = stringOption(ctx.values, 'cluster');
  const throughput = stringOption(ctx.values, 'throughput');
  const ablationSize = numbersOf(ctx.values, 'ablation-size')[0];
  // ablations continue from the largest curve size given
  const from = sizes.length ? `curve-${Math.max(...sizes)}` : null;
  const kept = (draft.ablations ?? []).filter(
    (a) => ctx.values['ablations'] === undefined || ablations.includes(a.name),
  );
  return {
    ...draft,
    ...(sizes.length ? { curve: { ...draft.curve, sizes } } : {}),
    ...(seeds.length ? { seeds } : {}),
    ...(students.length ? { students } : {}),
    ablations: kept.map((a) => ({
      ...a,
      continue_from: a.continue_from && from ? from : a.continue_from,
      conditions: a.conditions.map((c) => (ablationSize ? { ...c, size: ablationSize } : c)),
    })),
    ...(cluster ? { cluster } : {}),
    ...(throughput ? { estimate: { ...draft.estimate, tokens_per_gpu_second: Number(throughput) } } : {}),
  };
};

export const studyCommand: Command = {
  name: 'study',
  summary: 'A whole experiment as one file: new (from the paper’s design), plan, list, status, run, fetch, cancel',
  usage:
    'valley study list | new NAME [--dataset D] [--sizes 1000,10000] [--students A,B] [--seeds 0,1] [--ablations correctness,…] [--ablation-size N] ' +
    '[--cluster C] [--throughput TOKENS_PER_GPU_S] [--from FILE.yaml] [--replace] | plan NAME | status NAME [--refresh] | run NAME | fetch NAME | cancel NAME',
  options: {
    dataset: { type: 'string' },
    sizes: { type: 'string' },
    students: { type: 'string' },
    seeds: { type: 'string' },
    ablations: { type: 'string' },
    'ablation-size': { type: 'string' },
    cluster: { type: 'string' },
    throughput: { type: 'string' },
    from: { type: 'string' },
    replace: { type: 'boolean' },
    refresh: { type: 'boolean' },
  },
  async run(ctx) {
    await ctx.backend('refuse');
    const verb = ctx.positionals[0] ?? 'list';
    if (verb === 'list') {
      const { studies } = await ctx.call('study.list', {});
      return {
        json: { studies },
        text: studies.length
          ? formatTable(
              ['name', 'cells', 'file', 'error'],
              studies.map((s) => [s.name, s.cells, s.file, s.error ?? '']),
            )
          : 'No studies yet: valley study new NAME',
      };
    }
    if (verb === 'new') {
      const from = stringOption(ctx.values, 'from');
      const replace = ctx.values['replace'] === true;
      const saved = from
        ? await ctx.call('study.save', { text: await readFile(from, 'utf8'), replace }).catch((e: unknown) => {
            throw e instanceof ValleyError
              ? new ValleyError(e.code, e.message.replace('the study text', from), { ...e.details, file: from })
              : e;
          })
        : await ctx.call('study.save', { study: await newStudy(ctx), replace });
      const plan = await ctx.call('study.plan', { name: saved.name });
      const made = saved.partitionsCreated.length
        ? `\nPartitions made from presets: ${saved.partitionsCreated.join(', ')}`
        : '';
      return { json: { ...saved, plan }, text: `Wrote ${saved.file}${made}\n\n${planText(plan)}` };
    }
    if (verb === 'plan') {
      const plan = await ctx.call('study.plan', { name: need(ctx, 'study name') });
      return { json: plan, text: planText(plan) };
    }
    if (verb === 'status') {
      const status = await ctx.call('study.status', {
        name: need(ctx, 'study name'),
        refresh: ctx.values['refresh'] === true,
      });
      return { json: status, text: statusText(status) };
    }
    if (verb === 'run') {
      const r = await ctx.call('study.run', { name: need(ctx, 'study name'), wait: true });
      const lines = r.submitted.map(
        (c) =>
          `${c.cell}: ${[c.trainJob ? `train ${c.trainJob}` : null, `evaluate ${c.evalJob}`, c.continueFrom ? `(from ${c.continueFrom})` : null].filter(Boolean).join(' → ')}`,
      );
      const skipped = r.skipped.map((s) => `! ${s.cell}: ${s.reason}`);
      const head = r.submitted.length
        ? `Submitted ${r.submitted.length} cell(s):`
        : 'Nothing to submit: every cell is submitted, running or done';
      return { json: r, text: [head, ...lines, ...skipped].join('\n') };
    }
    if (verb === 'fetch') {
      const r = await ctx.call('study.fetch', { name: need(ctx, 'study name') });
      const lines = [
        ...r.fetched.map((f) => `${f.cell}: run ${f.runId}${f.score === null ? '' : `, pass@1 ${f.score.toFixed(3)}`}`),
        ...r.errors.map((e) => `! ${e.cell}: ${e.message}`),
        `${r.fetched.length} fetched, ${r.running.length} still running`,
      ];
      return { json: r, text: lines.join('\n') };
    }
    if (verb === 'cancel') {
      const r = await ctx.call('study.cancel', { name: need(ctx, 'study name') });
      return {
        json: r,
        text: r.cancelled.length
          ? r.cancelled.map((c) => `${c.cell}: cancelled ${c.jobs.join(', ')}`).join('\n')
          : 'No unfinished jobs',
      };
    }
    throw new ValleyError(
      'invalid_request',
      `Unknown verb "study ${verb}"; use list, new, plan, status, run, fetch or cancel`,
      { field: 'verb' },
    );
  },
};
