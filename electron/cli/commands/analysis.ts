import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  ValleyError,
  figureFormats,
  nameProblem,
  figureKinds,
  figurePresets,
  figureSidecar,
  figureSidecarSchema,
  tableFormats,
  type FigureRecipeInput,
  type SeriesFit,
  type SeriesQueryInput,
} from '../../../shared/api';
import { formatSize, isShare } from '../../../shared/analysis/format';
import { formatTable } from '../table';
import { listOption, stringOption, type Command, type CommandContext, type OptionValues } from '../command';

const seriesOptions = {
  metric: { type: 'string' },
  student: { type: 'string', multiple: true },
  partition: { type: 'string', multiple: true },
  min: { type: 'string' },
  max: { type: 'string' },
  errors: { type: 'string' },
  'min-sizes': { type: 'string' },
  seed: { type: 'string' },
} as const;

const numberOption = (values: OptionValues, name: string): number | undefined => {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const v = Number(text.replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isFinite(v))
    throw new ValleyError('invalid_request', `--${name} must be a number, not "${text}"`, { field: name });
  return v;
};

const choice = <T extends string>(values: OptionValues, name: string, allowed: readonly T[]): T | undefined => {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ValleyError('invalid_request', `--${name} must be one of ${allowed.join(', ')}, not "${v}"`, {
      field: name,
    });
  }
  return v as T;
};

const seriesQuery = (values: OptionValues): SeriesQueryInput => {
  const q: SeriesQueryInput = {};
  const metric = stringOption(values, 'metric');
  if (metric) q.metric = metric;
  const students = listOption(values, 'student');
  if (students.length) q.students = students;
  const partitions = listOption(values, 'partition');
  if (partitions.length) q.partitions = partitions;
  const errors = choice(values, 'errors', ['auto', 'bootstrap', 'binomial', 'none'] as const);
  if (errors) q.errors = errors;
  const minSizes = numberOption(values, 'min-sizes');
  if (minSizes !== undefined) q.minSizes = minSizes;
  const seed = numberOption(values, 'seed');
  if (seed !== undefined) q.seed = seed;
  return q;
};

const range = (values: OptionValues) => ({
  min: numberOption(values, 'min') ?? null,
  max: numberOption(values, 'max') ?? null,
});

const pct = (v: number | null | undefined, share: boolean) =>
  v === null || v === undefined ? '–' : share ? `${(v * 100).toFixed(1)}%` : v.toFixed(4);
const pm = (v: number | null, se: number | null, share: boolean) =>
  v === null ? '–' : `${pct(v, share)}${se === null ? '' : ` ± ${pct(se, share)}`}`;

const fitRows = (fits: readonly SeriesFit[], share: boolean): string[][] =>
  fits.map((f) => [
    f.label,
    f.fit ? pm(f.fit.intercept, f.fit.interceptSe, share) : `– (${f.fitProblem ?? ''})`,
    f.fit
      ? share
        ? `${(f.fit.slope * 100).toFixed(1)} pts${f.fit.slopeSe === null ? '' : ` ± ${(f.fit.slopeSe * 100).toFixed(1)}`}`
        : pm(f.fit.slope, f.fit.slopeSe, share)
      : '–',
    f.fit?.r2 === null || f.fit === null ? '–' : f.fit.r2.toFixed(4),
    f.fit ? `${formatSize(f.fit.minSize)}–${formatSize(f.fit.maxSize)} (${f.fit.points})` : '–',
    pct(f.valley?.baseline, share),
    f.valley ? `${pct(f.valley.valleyValue, share)} @ ${formatSize(f.valley.valleySize)}` : '–',
    f.valley?.dropPercent === null || f.valley === null ? '–' : `${f.valley.dropPercent.toFixed(1)}%`,
    f.valley?.recoverySize ? formatSize(Math.round(f.valley.recoverySize)) : '–',
    f.valley
      ? `${share ? (f.valley.gainAbsolute * 100).toFixed(1) + ' pts' : f.valley.gainAbsolute.toFixed(4)} → ${formatSize(f.valley.largestSize)}`
      : '–',
  ]);

export const fitCommand: Command = {
  name: 'fit',
  summary: 'Fit y = a + b·log10(n) per series over a size range and print the fit and valley statistics',
  usage:
    'valley fit [--workspace DIR] [--json] [--metric pass@1] [--student S]… [--partition P]… [--min N] [--max N] [--errors auto|bootstrap|binomial|none]',
  options: seriesOptions,
  async run(ctx) {
    await ctx.backend('refuse');
    const q = seriesQuery(ctx.values);
    const r = await ctx.call('analysis.fit', { ...q, range: range(ctx.values) });
    if (r.fits.length === 0)
      throw new ValleyError('not_found', 'No series matched (need runs with at least two trained sizes)');
    const share = isShare(q.metric ?? 'pass@1');
    const text = formatTable(
      [
        'series',
        'a (intercept)',
        'b (per decade)',
        'R²',
        'fitted sizes',
        'baseline',
        'valley',
        'drop',
        'recovers at',
        'gain to largest',
      ],
      fitRows(r.fits, share),
    );
    return {
      json: { metric: q.metric ?? 'pass@1', series: r.series, fits: r.fits.map(({ band: _band, ...f }) => f) },
      text,
    };
  },
};

/** Write a file whole or not at all: to a temp name beside it, then rename. */
const writeAtomic = (file: string, data: string | Buffer): void => {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, file);
};

const readRecipe = (file: string, checkFigure = true): { recipe: FigureRecipeInput; out: string } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ValleyError(
      'bad_input',
      `Cannot read the recipe ${file}: ${e instanceof Error ? e.message : String(e)}`,
      { file },
    );
  }
  // the sidecar's schema, with only the recipe required (a hand-written recipe file needs no more)
  const sidecar = figureSidecarSchema
    .partial({ sidecar: true, figure: true, rebuild: true, workspace: true })
    .safeParse(parsed);
  if (!sidecar.success) {
    const issue = sidecar.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new ValleyError('bad_input', `${file}: ${field}: ${issue?.message ?? 'invalid'}`, { file, field });
  }
  const recipe = { data: sidecar.data.recipe };
  // the recipe names only a file beside itself: a path in it (`../x`, `/etc/x`) is refused, never followed
  const figure = sidecar.data.figure ?? `${basename(file, '.json')}.${recipe.data.format}`;
  const problem = checkFigure ? nameProblem(figure) : null;
  if (problem) {
    throw new ValleyError(
      'bad_input',
      `${file}: figure: "${figure}" ${problem}; a recipe writes only beside itself (or give --out FILE)`,
      {
        file,
        field: 'figure',
      },
    );
  }
  return { recipe: recipe.data, out: resolve(dirname(file), figure) };
};

const figureRecipe = (ctx: CommandContext): { recipe: FigureRecipeInput; out: string } => {
  const recipeFile = stringOption(ctx.values, 'recipe');
  const outOpt = stringOption(ctx.values, 'out');
  if (recipeFile && outOpt) {
    const { recipe } = readRecipe(recipeFile, false);
    return { recipe, out: resolve(extname(outOpt) ? outOpt : `${outOpt}.${recipe.format ?? 'svg'}`) };
  }
  if (recipeFile) return readRecipe(recipeFile);
  if (!outOpt)
    throw new ValleyError('invalid_request', 'Give the output file with --out FILE (or --recipe FILE.json)', {
      field: 'out',
    });
  const fromExt = extname(outOpt).slice(1).toLowerCase();
  const format =
    choice(ctx.values, 'format', figureFormats) ??
    ((figureFormats as readonly string[]).includes(fromExt) ? (fromExt as 'svg') : 'svg');
  const recipe: FigureRecipeInput = {
    kind: choice(ctx.values, 'kind', figureKinds) ?? 'scaling',
    format,
    preset: choice(ctx.values, 'preset', figurePresets) ?? 'single',
    query: seriesQuery(ctx.values),
    range: range(ctx.values),
    fit: ctx.values['no-fit'] !== true,
    valley: ctx.values['no-valley'] !== true,
  };
  const dpi = numberOption(ctx.values, 'dpi');
  if (dpi !== undefined) recipe.dpi = dpi;
  const title = stringOption(ctx.values, 'title');
  if (title) recipe.title = title;
  const reference = stringOption(ctx.values, 'reference');
  if (reference)
    recipe.ablation = { metric: stringOption(ctx.values, 'metric') ?? 'pass@1', referencePartition: reference };
  else if (recipe.kind === 'ablation' && stringOption(ctx.values, 'metric'))
    recipe.ablation = { metric: stringOption(ctx.values, 'metric') as string };
  const out = resolve(extname(outOpt) ? outOpt : `${outOpt}.${format}`);
  return { recipe, out };
};

export const figureCommand: Command = {
  name: 'figure',
  summary:
    'Render a paper figure (scaling|ablation|difficulty|completion) as SVG, PDF or PNG, with CSV, LaTeX and a recipe beside it',
  usage:
    'valley figure [--workspace DIR] [--json] --out FILE [--kind scaling|ablation|difficulty|completion] [--format svg|pdf|png] ' +
    '[--preset single|double] [--dpi 300] [--metric M] [--student S]… [--partition P]… [--min N] [--max N] [--no-fit] [--no-valley] ' +
    '[--reference PARTITION] [--title T]\n       valley figure --recipe FILE.json [--out FILE]   (rebuild a figure from its sidecar, beside it unless --out)',
  options: {
    ...seriesOptions,
    kind: { type: 'string' },
    format: { type: 'string' },
    preset: { type: 'string' },
    dpi: { type: 'string' },
    out: { type: 'string', short: 'o' },
    recipe: { type: 'string' },
    'no-fit': { type: 'boolean' },
    'no-valley': { type: 'boolean' },
    reference: { type: 'string' },
    title: { type: 'string' },
  },
  async run(ctx) {
    const { recipe, out } = figureRecipe(ctx);
    await ctx.backend('refuse');
    const fig = await ctx.call('analysis.figure', recipe);
    const stem = out.slice(0, out.length - extname(out).length);
    const files = { figure: out, csv: `${stem}.csv`, latex: `${stem}.tex`, recipe: `${stem}.json` };
    writeAtomic(files.figure, Buffer.from(fig.content, fig.encoding));
    writeAtomic(files.csv, fig.csv);
    writeAtomic(files.latex, fig.latex);
    const sidecar = figureSidecar(
      basename(out),
      basename(files.recipe),
      ctx.workspaceDir ? resolve(ctx.workspaceDir) : null,
      fig.recipe,
    );
    writeAtomic(files.recipe, JSON.stringify(sidecar, null, 2) + '\n');
    const size = fig.widthPx
      ? `${fig.widthPx}×${fig.heightPx} px`
      : `${(fig.widthPt / 72).toFixed(2)}×${(fig.heightPt / 72).toFixed(2)} in`;
    return {
      json: {
        files,
        format: fig.format,
        widthPt: fig.widthPt,
        heightPt: fig.heightPt,
        widthPx: fig.widthPx,
        heightPx: fig.heightPx,
      },
      text: [
        `Wrote ${files.figure} (${fig.format.toUpperCase()}, ${size})`,
        `  data: ${files.csv}`,
        `  LaTeX: ${files.latex}`,
        `  recipe: ${files.recipe}`,
      ].join('\n'),
    };
  },
};

export const tableCommand: Command = {
  name: 'table',
  summary: 'Print the data and fit parameters behind a figure as CSV or a LaTeX table',
  usage:
    'valley table [--workspace DIR] [--json] [--format csv|latex] [--kind scaling|ablation|difficulty|completion] [--metric M] [--min N] [--max N] [--out FILE]',
  options: {
    ...seriesOptions,
    kind: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    reference: { type: 'string' },
  },
  async run(ctx) {
    const tableFormat = choice(ctx.values, 'format', tableFormats) ?? 'csv';
    const kind = choice(ctx.values, 'kind', figureKinds) ?? 'scaling';
    await ctx.backend('refuse');
    const reference = stringOption(ctx.values, 'reference');
    const r = await ctx.call('analysis.table', {
      kind,
      tableFormat,
      query: seriesQuery(ctx.values),
      range: range(ctx.values),
      ...(kind === 'ablation'
        ? {
            ablation: {
              metric: stringOption(ctx.values, 'metric') ?? 'pass@1',
              ...(reference ? { referencePartition: reference } : {}),
            },
          }
        : {}),
    });
    const out = stringOption(ctx.values, 'out');
    if (out) {
      writeAtomic(resolve(out), r.text);
      return { json: { format: r.format, file: resolve(out) }, text: `Wrote ${resolve(out)}` };
    }
    return { json: { format: r.format, text: r.text }, text: r.text.trimEnd() };
  },
};
