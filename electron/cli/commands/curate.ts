import { ValleyError, difficultyGroupsDefault, type FilterClause, type TraceFilterInput } from '../../../shared/api';
import { listOption, stringOption, type Command, type CommandContext, type OptionValues } from '../command';
import { formatTable } from '../table';

/** --dataset, or the workspace's only trace dataset. */
const datasetOf = async (
  ctx: CommandContext,
  kind: 'traces' | 'benchmark' = 'traces',
  option = 'dataset',
): Promise<string> => {
  const given = stringOption(ctx.values, option);
  if (given) return given;
  const all = (await ctx.call('data.datasets', {})).datasets.filter((d) => d.kind === kind);
  if (all.length === 1 && all[0]) return all[0].name;
  throw new ValleyError(
    'invalid_request',
    `Give --${option} (${kind} datasets here: ${all.map((d) => d.name).join(', ') || 'none'})`,
    {
      field: option,
    },
  );
};

const numberOption = (values: OptionValues, name: string, fallback?: number): number | undefined => {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n))
    throw new ValleyError('invalid_request', `--${name} must be a number, not "${text}"`, { field: name });
  return n;
};

const listOf = (values: OptionValues, name: string): string[] =>
  listOption(values, name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

const filterOptions = { where: { type: 'string' }, search: { type: 'string' }, partition: { type: 'string' } } as const;
const filterOf = (values: OptionValues): TraceFilterInput => {
  const where = stringOption(values, 'where');
  const clauses: FilterClause[] = where ? [{ op: 'sql', where }] : [];
  return {
    clauses,
    search: stringOption(values, 'search') ?? '',
    partition: stringOption(values, 'partition') ?? null,
  };
};

const need = (ctx: CommandContext, i: number, what: string): string => {
  const v = ctx.positionals[i];
  if (!v) throw new ValleyError('invalid_request', `Give the ${what}`, { field: what });
  return v;
};

export const partitionCommand: Command = {
  name: 'partition',
  summary: 'List, create (--where/--search/--partition), preset (correctness|difficulty) or delete partitions',
  usage:
    'valley partition [list] | create NAME [--where SQL] [--search TEXT] [--partition BASE] [--replace] | ' +
    'preset correctness|difficulty|training [--by judgement|pass_rate] [--easy A,B] [--hard C,D] [--none E] | delete NAME   [--dataset D]',
  options: {
    ...filterOptions,
    dataset: { type: 'string' },
    replace: { type: 'boolean' },
    by: { type: 'string' },
    easy: { type: 'string' },
    hard: { type: 'string' },
    none: { type: 'string' },
  },
  async run(ctx) {
    await ctx.backend('refuse');
    const verb = ctx.positionals[0] ?? 'list';
    if (verb === 'create') {
      const p = await ctx.call('curate.partitions.save', {
        name: need(ctx, 1, 'partition name'),
        dataset: await datasetOf(ctx),
        filter: filterOf(ctx.values),
        replace: ctx.values['replace'] === true,
      });
      return { json: p, text: `Partition ${p.name}: ${p.size} traces` };
    }
    if (verb === 'preset') {
      const preset = need(ctx, 1, 'preset (correctness, difficulty or training)');
      if (preset !== 'correctness' && preset !== 'difficulty' && preset !== 'training') {
        throw new ValleyError(
          'invalid_request',
          `Unknown preset "${preset}"; use correctness, difficulty or training`,
          { field: 'preset' },
        );
      }
      const by = stringOption(ctx.values, 'by') ?? 'judgement';
      if (by !== 'judgement' && by !== 'pass_rate')
        throw new ValleyError('invalid_request', '--by is judgement or pass_rate', { field: 'by' });
      const easy = listOf(ctx.values, 'easy');
      const hard = listOf(ctx.values, 'hard');
      const none = listOf(ctx.values, 'none');
      const r = await ctx.call('curate.partitions.presets', {
        dataset: await datasetOf(ctx),
        preset,
        by,
        ...(easy.length || hard.length || none.length
          ? {
              groups: {
                easy: easy.length ? easy : difficultyGroupsDefault.easy,
                hard: hard.length ? hard : difficultyGroupsDefault.hard,
                none: none.length ? none : difficultyGroupsDefault.none,
              },
            }
          : {}),
      });
      return {
        json: r,
        text: r.partitions.map((p) => `Partition ${p.name} (${p.description}): ${p.size} traces`).join('\n'),
      };
    }
    if (verb === 'delete') {
      const name = need(ctx, 1, 'partition name');
      await ctx.call('curate.partitions.delete', { name });
      return { json: { deleted: name }, text: `Deleted partition ${name}` };
    }
    if (verb !== 'list')
      throw new ValleyError('invalid_request', `Unknown partition action "${verb}"`, { field: 'action' });
    const dataset = stringOption(ctx.values, 'dataset');
    const { partitions } = await ctx.call('curate.partitions.list', dataset ? { dataset } : {});
    return {
      json: partitions,
      text: formatTable(
        ['name', 'dataset', 'size', 'include', 'exclude', 'description'],
        partitions.map((p) => [p.name, p.dataset, p.size, p.includes, p.excludes, p.description]),
      ),
    };
  },
};

export const subsetCommand: Command = {
  name: 'subset',
  summary:
    'Save nested subsets (sizes, seed, stratify, dedup) from a partition or a --where filter; without NAME, list them',
  usage:
    'valley subset [NAME --sizes 1000,10000 [--seed N] [--stratify difficulty|source] [--dedup K] [--partition P] [--where SQL] [--replace]] [--dataset D]',
  options: {
    ...filterOptions,
    dataset: { type: 'string' },
    sizes: { type: 'string', multiple: true },
    seed: { type: 'string' },
    stratify: { type: 'string' },
    dedup: { type: 'string' },
    replace: { type: 'boolean' },
  },
  async run(ctx) {
    await ctx.backend('refuse');
    const name = ctx.positionals[0];
    if (!name) {
      const { subsets } = await ctx.call('curate.subsets.list', {});
      return {
        json: subsets,
        text: formatTable(
          ['name', 'dataset', 'partition', 'sizes', 'seed', 'available'],
          subsets.map((s) => [
            s.name,
            s.spec.dataset,
            s.spec.partition,
            s.spec.sizes.join(','),
            s.spec.seed,
            s.plan.available,
          ]),
        ),
      };
    }
    const sizes = listOf(ctx.values, 'sizes').map(Number);
    if (!sizes.length || sizes.some((x) => !Number.isInteger(x) || x < 1)) {
      throw new ValleyError('invalid_request', '--sizes must list whole numbers, e.g. --sizes 1000,10000,30000', {
        field: 'sizes',
      });
    }
    const stratify = stringOption(ctx.values, 'stratify') ?? null;
    if (stratify !== null && stratify !== 'difficulty' && stratify !== 'source') {
      throw new ValleyError('invalid_request', '--stratify is difficulty or source', { field: 'stratify' });
    }
    const filter = filterOf(ctx.values);
    const s = await ctx.call('curate.subsets.save', {
      name,
      replace: ctx.values['replace'] === true,
      spec: {
        dataset: await datasetOf(ctx),
        partition: filter.partition ?? null,
        filter: { ...filter, partition: null },
        sizes,
        seed: numberOption(ctx.values, 'seed', 0),
        stratify,
        maxPerQuestion: numberOption(ctx.values, 'dedup') ?? null,
      },
    });
    const strata = [...new Set(s.plan.sizes.flatMap((x) => Object.keys(x.strata)))];
    return {
      json: s,
      text:
        `Subset ${s.name}: ${s.plan.available} traces available\n` +
        formatTable(
          ['size', 'questions', ...strata],
          s.plan.sizes.map((x) => [x.size, x.questions, ...strata.map((k) => x.strata[k] ?? 0)]),
        ),
    };
  },
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a subset as torchtune chat JSONL and/or Parquet, with a manifest of hashes',
  usage: 'valley export SUBSET [--format torchtune|parquet]… [--sizes N,…] [--out DIR] [--overwrite]',
  options: {
    format: { type: 'string', multiple: true },
    sizes: { type: 'string', multiple: true },
    out: { type: 'string' },
    overwrite: { type: 'boolean' },
  },
  async run(ctx) {
    await ctx.backend('refuse');
    const subset = need(ctx, 0, 'subset name');
    const formats = listOf(ctx.values, 'format');
    const bad = formats.filter((f) => f !== 'torchtune' && f !== 'parquet');
    if (bad.length)
      throw new ValleyError('invalid_request', `Unknown format ${bad.join(', ')}; use torchtune or parquet`, {
        field: 'format',
      });
    const sizes = listOf(ctx.values, 'sizes').map(Number);
    const out = stringOption(ctx.values, 'out');
    ctx.info(`Exporting ${subset} …`);
    const r = await ctx.call('curate.export', {
      subset,
      wait: true,
      overwrite: ctx.values['overwrite'] === true,
      ...(formats.length ? { formats: formats as ('torchtune' | 'parquet')[] } : {}),
      ...(sizes.length ? { sizes } : {}),
      ...(out ? { outDir: out } : {}),
    });
    const files = r.manifest?.files ?? [];
    return {
      json: { dir: r.dir, manifest: r.manifest },
      text:
        `Wrote ${r.dir}\n` +
        formatTable(
          ['file', 'rows', 'bytes', 'sha256'],
          files.map((f) => [f.path, f.rows, f.bytes, f.sha256]),
        ),
    };
  },
};

export const contaminationCommand: Command = {
  name: 'contamination',
  summary: 'Flag training questions whose n-grams overlap a benchmark’s problems; --exclude-into NAME excludes them',
  usage:
    'valley contamination [--dataset D] [--benchmark B] [--n 13] [--threshold 0.5] [--partition P] [--exclude-into NAME]',
  options: {
    dataset: { type: 'string' },
    benchmark: { type: 'string' },
    n: { type: 'string' },
    threshold: { type: 'string' },
    partition: { type: 'string' },
    column: { type: 'string' },
    'exclude-into': { type: 'string' },
  },
  async run(ctx) {
    await ctx.backend('refuse');
    const column = stringOption(ctx.values, 'column');
    const req = {
      dataset: await datasetOf(ctx),
      benchmark: await datasetOf(ctx, 'benchmark', 'benchmark'),
      n: numberOption(ctx.values, 'n', 13),
      threshold: numberOption(ctx.values, 'threshold', 0.5),
      partition: stringOption(ctx.values, 'partition') ?? null,
      ...(column ? { column } : {}),
    };
    const r = await ctx.call('curate.contamination.check', req);
    const target = stringOption(ctx.values, 'exclude-into');
    const excluded = target ? await ctx.call('curate.contamination.exclude', { ...req, target }) : null;
    return {
      json: { ...r, excluded },
      text:
        `${r.flaggedQuestions} of ${r.questionsChecked} questions (${r.flaggedTraces} traces) overlap ${r.problems} benchmark problems at ≥ ${req.threshold}\n` +
        formatTable(
          ['overlap', 'traces', 'question_id', 'problem', 'question'],
          r.hits.map((h) => [h.overlap, h.traces, h.questionId, h.problemId, h.question]),
        ) +
        (excluded ? `\nExcluded ${excluded.excluded} traces from ${target} (now ${excluded.size})` : ''),
    };
  },
};
