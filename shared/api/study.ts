import { z } from 'zod';
import { method } from './define';
import { taskSchema } from './tasks';
import { jobSchema } from './cluster';
import { manifestSchema } from './curate';
import { runSchema } from './runs';
import { cellStates, studySchema } from '../domain/study';

const studyName = z.string().min(1).max(60);

export const studySummarySchema = z.object({
  name: z.string(),
  file: z.string(),
  description: z.string(),
  /** Why the file cannot be read (it stays listed so the user can fix it). */
  error: z.string().nullable(),
  cells: z.number().int(),
  updatedAt: z.string(),
});
export type StudySummary = z.infer<typeof studySummarySchema>;

export const studyConditionSchema = z.object({
  id: z.string(),
  group: z.string(),
  label: z.string(),
  dataset: z.string(),
  partition: z.string().nullable(),
  size: z.number().int(),
  stripThink: z.boolean(),
  continueFrom: z.string().nullable(),
});
export type StudyConditionView = z.infer<typeof studyConditionSchema>;

export const studyCellSchema = z.object({
  id: z.string(),
  condition: z.string(),
  student: z.string(),
  studentKey: z.string(),
  seed: z.number().int(),
  size: z.number().int(),
  subset: z.string().nullable(),
  export: z.string().nullable(),
  baseCell: z.string().nullable(),
  trains: z.boolean(),
});

export const cellStatusSchema = studyCellSchema.extend({
  state: z.enum(cellStates),
  /** What the state rests on, for people ("train job 2412 RUNNING", "exported to …"). */
  detail: z.string(),
  /** pass@1 of the cell's run, when done. */
  score: z.number().nullable(),
  trainJob: z.string().nullable(),
  evalJob: z.string().nullable(),
  runId: z.string().nullable(),
  /** The export folder's manifest.json, once exported. */
  manifest: z.string().nullable(),
});
export type CellStatus = z.infer<typeof cellStatusSchema>;

export const studyEstimateSchema = z.object({
  cells: z.number().int(),
  trainJobs: z.number().int(),
  evalJobs: z.number().int(),
  jobs: z.number().int(),
  trainTokens: z.number(),
  trainGpuHours: z.number(),
  evalGpuHours: z.number(),
  gpuHours: z.number(),
  dataBytes: z.number(),
  checkpointBytes: z.number(),
  unknownVolumes: z.array(z.string()),
});

export const studyPlanSchema = z.object({
  name: z.string(),
  conditions: z.array(studyConditionSchema),
  students: z.array(z.string()),
  seeds: z.array(z.number().int()),
  cells: z.array(studyCellSchema),
  subsets: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      dataset: z.string(),
      partition: z.string().nullable(),
      sizes: z.array(z.number().int()),
      exists: z.boolean(),
    }),
  ),
  exports: z.array(
    z.object({
      id: z.string(),
      subset: z.string(),
      stripThink: z.boolean(),
      overlong: z.string(),
      maxSeqLen: z.number().int(),
      tokenizer: z.string().nullable(),
      sizes: z.array(z.number().int()),
    }),
  ),
  estimate: studyEstimateSchema,
  /** Things to fix or know before running (a missing partition, a dataset without exact token counts …). */
  warnings: z.array(z.string()),
});
export type StudyPlan = z.infer<typeof studyPlanSchema>;

export const studyStatusSchema = z.object({
  name: z.string(),
  conditions: z.array(studyConditionSchema),
  students: z.array(z.string()),
  seeds: z.array(z.number().int()),
  cells: z.array(cellStatusSchema),
  counts: z.record(z.string(), z.number().int()),
});
export type StudyStatus = z.infer<typeof studyStatusSchema>;

export const cellSubmissionSchema = z.object({
  cell: z.string(),
  trainJob: z.string().nullable(),
  evalJob: z.string(),
  /** The training job this cell's training continues from (an ablation's base cell). */
  continueFrom: z.string().nullable(),
});
export type CellSubmission = z.infer<typeof cellSubmissionSchema>;

export const studyFetchSchema = z.object({
  fetched: z.array(z.object({ cell: z.string(), runId: z.string(), score: z.number().nullable() })),
  /** Cells whose chain has not finished yet. */
  running: z.array(z.string()),
  errors: z.array(z.object({ cell: z.string(), message: z.string() })),
});
export type StudyFetch = z.infer<typeof studyFetchSchema>;

/** A study from the dialog (an object) or from an editor (the file's text). */
const studySource = z.union([z.object({ study: studySchema }), z.object({ text: z.string().min(1).max(1_000_000) })]);

export const studyMethods = {
  'study.list': method(
    'Study files in the workspace (studies/*.yaml)',
    z.object({}),
    z.object({ studies: z.array(studySummarySchema) }),
  ),
  'study.draft': method(
    'The seed paper’s design as a new study, pre-filled for a teacher dataset (nothing is written)',
    z.object({ dataset: z.string().min(1).optional(), name: studyName.optional() }),
    z.object({ study: studySchema, text: z.string() }),
  ),
  'study.get': method(
    'A study file: its text and what it says',
    z.object({ name: studyName }),
    z.object({ name: z.string(), file: z.string(), text: z.string(), study: studySchema }),
  ),
  'study.save': method(
    'Write a study file (checked first; refused with the line and field of the first error) and make the partitions it names from presets',
    z.intersection(studySource, z.object({ replace: z.boolean().default(false) })),
    z.object({ name: z.string(), file: z.string(), partitionsCreated: z.array(z.string()) }),
  ),
  'study.delete': method(
    'Delete a study file (its subsets, exports, jobs and runs stay)',
    z.object({ name: studyName }),
    z.object({ ok: z.literal(true) }),
  ),
  'study.plan': method(
    'What running a study would do: cells, subsets and exports (shared where recipes are identical), jobs, GPU-hours and disk',
    z.union([z.object({ name: studyName }), studySource]),
    studyPlanSchema,
  ),
  'study.status': method(
    'The study’s matrix: each cell’s state (from the workspace’s subsets, exports, jobs and runs) and score',
    z.object({ name: studyName, refresh: z.boolean().default(false), passphrase: z.string().optional() }),
    studyStatusSchema,
  ),
  'study.run': method(
    'Submit the study’s missing, failed or cancelled cells (subsets and exports made once per recipe, each file uploaded once, ablations after and from their base cell’s training); with wait, return once all are submitted',
    z.object({ name: studyName, wait: z.boolean().default(false), passphrase: z.string().optional() }),
    z.object({
      task: taskSchema.nullable(),
      /** Cells this run submits, in order (bases first). */
      cells: z.array(z.string()),
      skipped: z.array(z.object({ cell: z.string(), reason: z.string() })),
      /** With wait: each submitted cell's jobs. */
      submitted: z.array(cellSubmissionSchema),
    }),
  ),
  'study.cell': method(
    'One cell’s provenance: its state, its job chain, the export manifest it trained on (files and SHA-256) and its run',
    z.object({ name: studyName, cell: z.string().min(1) }),
    z.object({
      cell: cellStatusSchema,
      jobs: z.array(jobSchema),
      manifest: manifestSchema.nullable(),
      /** The manifest file's own SHA-256 (what the run's `manifest sha256` label names). */
      manifestSha256: z.string().nullable(),
      /** What the export did to the rows (think tags stripped, overlong rows dropped or truncated), as recorded. */
      transforms: z.unknown().nullable(),
      run: runSchema.nullable(),
    }),
  ),
  'study.fetch': method(
    'Import every finished chain of the study as a run labelled from its cell (the study, condition, student, seed, size, manifest)',
    z.object({ name: studyName, passphrase: z.string().optional() }),
    studyFetchSchema,
  ),
  'study.cancel': method(
    'Cancel every unfinished job of the study (running it again resubmits those cells)',
    z.object({ name: studyName, passphrase: z.string().optional() }),
    z.object({ cancelled: z.array(z.object({ cell: z.string(), jobs: z.array(z.string()) })) }),
  ),
};
