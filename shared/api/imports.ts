import { z } from 'zod';
import { method } from './define';
import { jsonValue, userName } from './common';
import { datasetInfoSchema, traceRoles } from './data';
import { taskSchema } from './tasks';
import { presetNames } from '../domain/presets';

export const sourceFormats = ['jsonl', 'parquet', 'csv'] as const;
export type SourceFormat = (typeof sourceFormats)[number];

const pathsSchema = z.array(z.string().min(1, 'must not be empty')).min(1, 'give at least one file, folder or glob');

/** Role → source column (null: the source has none). Roles left out are taken from the preset. */
export const roleMappingSchema = z.partialRecord(z.enum(traceRoles), z.string().nullable());

export const sourcePreviewSchema = z.object({
  format: z.enum(sourceFormats),
  files: z.array(z.object({ path: z.string(), bytes: z.number() })),
  totalBytes: z.number(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  /** The preset that fits (or the one asked for); 'generic' when none does and roles were guessed by name. */
  preset: z.string(),
  kind: z.enum(['traces', 'benchmark', 'source']),
  roles: z.record(z.string(), z.string().nullable()),
  sample: z.array(z.record(z.string(), jsonValue)),
  /** Rows, when the format says so without a scan (Parquet metadata); null otherwise. */
  rows: z.number().nullable(),
  suggestedName: z.string(),
  /** Storage 'auto' would choose: a view over Parquet files larger than the copy threshold, else a table. */
  storage: z.enum(['table', 'view']),
});
export type SourcePreview = z.infer<typeof sourcePreviewSchema>;

export const badLineSchema = z.object({ file: z.string(), line: z.number().int(), problem: z.string() });
export type BadLine = z.infer<typeof badLineSchema>;

export const importResultSchema = z.object({
  dataset: datasetInfoSchema,
  rows: z.number().int(),
  /** Lines left out with skipBadLines (0 otherwise), and the first few of them. */
  skipped: z.number().int(),
  badLines: z.array(badLineSchema),
  /** Rows whose question was '-' and was filled in from an imported source dataset. */
  joinedQuestions: z.number().int(),
  seconds: z.number(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const unwrapSchema = z.enum(['first', 'last', 'join']);
export type Unwrap = z.infer<typeof unwrapSchema>;

export const importRequestSchema = z.object({
  paths: pathsSchema,
  name: userName.optional(),
  preset: z.enum(presetNames).default('auto'),
  roles: roleMappingSchema.optional(),
  kind: z.enum(['traces', 'benchmark', 'source']).optional(),
  /**
   * How a list-valued question or response column becomes text: its first or last element, or all elements joined
   * by a blank line. Without a choice such a column is refused (it is never stringified as a list literal).
   */
  unwrap: z.object({ question: unwrapSchema.optional(), response: unwrapSchema.optional() }).optional(),
  /** 'view' keeps Parquet files where they are (derived columns go to a side table); 'auto' decides by size. */
  storage: z.enum(['auto', 'table', 'view']).default('auto'),
  /** Leave out lines that do not parse and report how many, instead of failing. */
  skipBadLines: z.boolean().default(false),
  /** A local Hugging Face tokenizer.json: token counts become exact instead of estimated. */
  tokenizer: z.string().min(1).optional(),
  /** Replace a dataset of the same name instead of refusing. */
  replace: z.boolean().default(false),
  /** Resolve only when the import has finished (the CLI); otherwise return the task at once. */
  wait: z.boolean().default(false),
});
export type ImportRequest = z.output<typeof importRequestSchema>;

/** For one trace dataset and one OCR2 `dataset` value: how many of its rows point to that source, filled or not. */
export const questionSourceSchema = z.object({
  dataset: z.string(),
  /** OCR2's `dataset` value: taco, apps, code_contests, open-r1/codeforces. */
  key: z.string(),
  /** The Hugging Face dataset holding those questions, and the preset to import it with (null: unknown key). */
  hf: z.string().nullable(),
  preset: z.string().nullable(),
  /** Rows whose question was '-' (pointing to the source), how many got their text, how many are still '-'. */
  rows: z.number().int(),
  filled: z.number().int(),
  missing: z.number().int(),
  /** The imported source dataset that fills them; null: not imported yet. */
  source: z.string().nullable(),
});
export type QuestionSource = z.infer<typeof questionSourceSchema>;

export const importsMethods = {
  'data.questionSources': method(
    "Per trace dataset and OCR2 source (TACO, APPS, CodeContests, open-r1/codeforces): rows whose question is '-', how many are filled, and which source dataset is still missing",
    z.object({ dataset: z.string().optional() }),
    z.object({ sources: z.array(questionSourceSchema) }),
  ),
  'data.preview': method(
    'Look at a source before importing: format, columns, the detected preset and role mapping, a few rows',
    z.object({
      paths: pathsSchema,
      preset: z.enum(presetNames).default('auto'),
      rows: z.number().int().min(0).max(50).default(5),
      /** Preview past malformed JSONL lines and ragged CSV lines, as the import with skipBadLines will. */
      skipBadLines: z.boolean().default(false),
    }),
    sourcePreviewSchema,
  ),
  'data.import': method(
    'Import a trace dataset (JSONL/.gz/.zst, Parquet file/folder/glob, CSV/TSV) as a background task',
    importRequestSchema,
    z.object({ task: taskSchema, result: importResultSchema.nullable() }),
  ),
  'data.pickPaths': method(
    'Ask the platform for files or a folder with a native dialog; available is false where there is none (browser mode)',
    z.object({ directory: z.boolean().default(false), title: z.string().default('Choose files to import') }),
    z.object({ available: z.boolean(), paths: z.array(z.string()) }),
  ),
  'data.drop': method(
    'Remove a dataset from the workspace (the source files are never touched)',
    z.object({ name: z.string().min(1) }),
    z.object({ dropped: z.boolean() }),
  ),
};
