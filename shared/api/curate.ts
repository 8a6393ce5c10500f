import { z } from 'zod';
import { method } from './define';
import { ok, userName } from './common';
import { emptyFilter, facetSchema, markSchema, traceFilterSchema } from './traces';
import { taskSchema } from './tasks';

export const partitionSchema = z.object({
  name: z.string(),
  dataset: z.string(),
  /** Rows matching this filter are in, plus rows marked include, minus rows marked exclude. */
  filter: traceFilterSchema,
  /** A partition with `matchAll: false` starts empty and holds only its include marks (hand-picked rows). */
  matchAll: z.boolean(),
  description: z.string(),
  includes: z.number().int(),
  excludes: z.number().int(),
  size: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Partition = z.infer<typeof partitionSchema>;

/**
 * Default easy/hard groups (TACO's words; compared case-insensitively). A difficulty in neither group must be
 * placed explicitly: in `none` (left out of both), or in one of the groups; TACO's MEDIUM_HARD is not placed for you.
 */
export const difficultyGroupsDefault = {
  easy: ['EASY', 'MEDIUM'],
  hard: ['HARD', 'VERY_HARD'],
  none: ['UNKNOWN_DIFFICULTY'],
};

export const subsetSpecSchema = z.object({
  dataset: z.string().min(1),
  /** Draw from this partition's rows (and the filter, if any). */
  partition: z.string().nullable().default(null),
  filter: traceFilterSchema.default(emptyFilter()),
  sizes: z.array(z.number().int().min(1)).min(1).max(50),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  stratify: z.enum(['difficulty', 'source']).nullable().default(null),
  /** Keep at most this many traces per question (1 = one per question); null keeps all. */
  maxPerQuestion: z.number().int().min(1).nullable().default(null),
});
export type SubsetSpec = z.output<typeof subsetSpecSchema>;
export type SubsetSpecInput = z.input<typeof subsetSpecSchema>;

export const subsetSizeSchema = z.object({
  size: z.number().int(),
  strata: z.record(z.string(), z.number().int()),
  questions: z.number().int(),
});
export const subsetPlanSchema = z.object({
  available: z.number().int(),
  sizes: z.array(subsetSizeSchema),
  /** Share of each stratum in the whole pool (when stratified). */
  poolStrata: z.record(z.string(), z.number().int()),
});
export type SubsetPlan = z.infer<typeof subsetPlanSchema>;

export const subsetSchema = z.object({
  name: z.string(),
  spec: subsetSpecSchema,
  plan: subsetPlanSchema,
  createdAt: z.string(),
});
export type Subset = z.infer<typeof subsetSchema>;

export const exportFormats = ['torchtune', 'parquet'] as const;
export const exportRequestSchema = z.object({
  subset: z.string().min(1),
  /** Which of the subset's sizes; omitted = every size. */
  sizes: z.array(z.number().int().min(1)).optional(),
  formats: z.array(z.enum(exportFormats)).min(1).default(['torchtune', 'parquet']),
  /** Output folder; default: the workspace's exports/<subset>. */
  outDir: z.string().optional(),
  /** Replace an existing export folder. */
  overwrite: z.boolean().default(false),
  /** Wait for the export to finish (CLI); otherwise returns as soon as the task starts. */
  wait: z.boolean().default(false),
});
export type ExportRequest = z.output<typeof exportRequestSchema>;

export const manifestFileSchema = z.object({
  path: z.string(),
  format: z.string(),
  size: z.number().int(),
  rows: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
});
export const manifestSchema = z.object({
  valley: z.string(),
  recipe: z.object({
    subset: z.string(),
    spec: subsetSpecSchema,
    source: z.object({
      dataset: z.string(),
      relation: z.string(),
      rows: z.number().int(),
      files: z.array(z.object({ path: z.string(), sha256: z.string().nullable(), bytes: z.number().int().nullable() })),
    }),
    partition: z.unknown().nullable(),
  }),
  files: z.array(manifestFileSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const contaminationRequestSchema = z.object({
  dataset: z.string().min(1),
  benchmark: z.string().min(1),
  /** Benchmark column with the problem text; default question_content, else question. */
  column: z.string().optional(),
  n: z.number().int().min(3).max(50).default(13),
  /** Flag a training question when at least this share of its n-grams occur in one benchmark problem. */
  threshold: z.number().min(0.01).max(1).default(0.5),
  partition: z.string().nullable().default(null),
  limit: z.number().int().min(1).max(10_000).default(500),
});
export const contaminationHitSchema = z.object({
  questionId: z.string().nullable(),
  question: z.string(),
  traces: z.number().int(),
  overlap: z.number(),
  problemId: z.string().nullable(),
  problem: z.string(),
});
export type ContaminationHit = z.infer<typeof contaminationHitSchema>;
export const contaminationResultSchema = z.object({
  questionsChecked: z.number().int(),
  problems: z.number().int(),
  flaggedQuestions: z.number().int(),
  flaggedTraces: z.number().int(),
  hits: z.array(contaminationHitSchema),
  elapsedMs: z.number(),
});

export const historySchema = z.object({
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  undoLabel: z.string().nullable(),
  redoLabel: z.string().nullable(),
});
export type CurateHistory = z.infer<typeof historySchema>;

const pname = z.string().min(1);
export const curateMethods = {
  'curate.partitions.list': method(
    'Partitions with their sizes',
    z.object({ dataset: z.string().optional() }),
    z.object({ partitions: z.array(partitionSchema) }),
  ),
  'curate.partitions.save': method(
    'Create or replace a partition from a filter (a brushed selection is a filter too)',
    z.object({
      name: userName,
      dataset: z.string().min(1),
      filter: traceFilterSchema.default(emptyFilter()),
      matchAll: z.boolean().default(true),
      description: z.string().max(2000).default(''),
      replace: z.boolean().default(false),
    }),
    partitionSchema,
  ),
  'curate.partitions.rename': method('Rename a partition', z.object({ name: pname, to: userName }), partitionSchema),
  'curate.partitions.delete': method('Delete a partition and its marks', z.object({ name: pname }), ok),
  'curate.partitions.presets': method(
    'Create preset partitions: correct vs incorrect (judgement or pass rate = 1), easy vs hard (editable difficulty groups, case-insensitive), or "ready-for-training" (no \'-\' or empty prompt, no empty response)',
    z.object({
      dataset: z.string().min(1),
      preset: z.enum(['correctness', 'difficulty', 'training']),
      by: z.enum(['judgement', 'pass_rate']).default('judgement'),
      groups: z
        .object({
          easy: z.array(z.string()).min(1),
          hard: z.array(z.string()).min(1),
          none: z.array(z.string()).default([]),
        })
        .default(difficultyGroupsDefault),
      replace: z.boolean().default(true),
    }),
    z.object({ partitions: z.array(partitionSchema) }),
  ),
  'curate.partitions.stats': method(
    'Size and distributions (difficulty, judgement, pass rate, source, length, tokens) of each partition',
    z.object({ names: z.array(pname).min(1).max(20) }),
    z.object({ stats: z.array(z.object({ name: z.string(), size: z.number().int(), facets: z.array(facetSchema) })) }),
  ),
  'curate.marks.set': method(
    'Mark rows include or exclude in a partition (null clears the mark)',
    z.object({
      partition: pname,
      rowIds: z.array(z.number().int()).min(1).max(1_000_000),
      mark: markSchema.nullable(),
    }),
    z.object({ changed: z.number().int(), size: z.number().int() }),
  ),
  'curate.marks.list': method(
    'Row ids marked in a partition',
    z.object({ partition: pname }),
    z.object({ include: z.array(z.number().int()), exclude: z.array(z.number().int()) }),
  ),
  'curate.subsets.plan': method(
    'Check a subset recipe: what is available and what each size would hold',
    subsetSpecSchema,
    subsetPlanSchema,
  ),
  'curate.subsets.save': method(
    'Save a named nested-subset recipe (refused if a size exceeds what is available)',
    z.object({ name: userName, spec: subsetSpecSchema, replace: z.boolean().default(false) }),
    subsetSchema,
  ),
  'curate.subsets.list': method('Saved subsets', z.object({}), z.object({ subsets: z.array(subsetSchema) })),
  'curate.subsets.delete': method('Delete a saved subset', z.object({ name: pname }), ok),
  'curate.subsets.ids': method(
    'Row ids of one size of a subset, in sampling order',
    z.object({ name: pname, size: z.number().int().min(1) }),
    z.object({ rowIds: z.array(z.number().int()) }),
  ),
  'curate.export': method(
    'Export a subset (torchtune chat JSONL, Parquet) with a manifest, as a background task',
    exportRequestSchema,
    z.object({ task: taskSchema, dir: z.string(), manifest: manifestSchema.nullable() }),
  ),
  'curate.manifest': method(
    'The manifest of an export folder (what an export task wrote)',
    z.object({ dir: z.string().min(1) }),
    manifestSchema,
  ),
  'curate.contamination.check': method(
    'N-gram overlap of training questions with a benchmark’s problems',
    contaminationRequestSchema,
    contaminationResultSchema,
  ),
  'curate.contamination.exclude': method(
    'Mark every trace of the flagged questions exclude in a partition (created as “all rows” if missing)',
    contaminationRequestSchema.extend({ target: userName }),
    z.object({ excluded: z.number().int(), size: z.number().int() }),
  ),
  'curate.history': method('What undo and redo would do', z.object({}), historySchema),
  'curate.undo': method('Undo the last curation edit', z.object({}), historySchema),
  'curate.redo': method('Redo the last undone curation edit', z.object({}), historySchema),
  'curate.ui.get': method(
    'Saved screen state of a view',
    z.object({ key: z.string().min(1).max(200) }),
    z.object({ value: z.unknown().nullable() }),
  ),
  'curate.ui.set': method(
    'Save the screen state of a view',
    z.object({ key: z.string().min(1).max(200), value: z.unknown() }),
    ok,
  ),
};
