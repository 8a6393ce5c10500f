import { z } from 'zod';
import { isSafeName } from './names';

/**
 * A study: the whole experiment as one file (`studies/<name>.yaml` in the workspace). Keys are snake_case
 * so the file reads like the paper's method section; the schema is the one place that says what is allowed.
 */

/** Names that end up in ids, labels and file names. */
const slugName = z
  .string()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, _ and - only (starting with a letter or digit)')
  .refine((name) => isSafeName(name), 'must not be a reserved device name (con, prn, aux, nul, com1-9, lpt1-9)');

const size = z.number().int('must be a whole number').min(1, 'must be at least 1');
const vars = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).prefault({});

export const overlongActions = ['keep', 'drop', 'truncate'] as const;
export type OverlongAction = (typeof overlongActions)[number];

/** What the export does to each row before writing it (recorded in the manifest). */
export const transformsSchema = z
  .object({
    /** Remove `<think>…</think>` from the assistant turn, keeping the answer after it. */
    strip_think: z.boolean().default(false),
    /** Rows longer than `max_seq_len` tokens under the student's own tokenizer: kept, dropped or truncated. */
    overlong: z.enum(overlongActions).default('keep'),
    max_seq_len: z.number().int().min(16).max(1_048_576).default(32768),
  })
  .strict();
export type StudyTransforms = z.output<typeof transformsSchema>;

export const ablationConditionSchema = z
  .object({
    name: slugName,
    /** A workspace partition to draw from (null: the whole teacher dataset). */
    partition: z.string().min(1).nullable().default(null),
    size,
    /** Teacher dataset, when the study has more than one (default: the first). */
    dataset: z.string().min(1).optional(),
    strip_think: z.boolean().default(false),
  })
  .strict();

export const ablationSchema = z
  .object({
    name: slugName,
    description: z.string().default(''),
    /** Fine-tune further from this condition's trained checkpoint (same student, same seed); null: from the base model. */
    continue_from: z.string().min(1).nullable().default(null),
    conditions: z.array(ablationConditionSchema).min(1, 'needs at least one condition'),
  })
  .strict();

export const partitionPresetSchema = z
  .object({
    /** correct / incorrect partitions from the judgement column, or pass rate = 1. */
    correctness: z.enum(['judgement', 'pass_rate']).nullable().default(null),
    /** easy / hard partitions from TACO difficulty groups. */
    difficulty: z
      .object({ easy: z.array(z.string()).min(1), hard: z.array(z.string()).min(1) })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

export const studySchema = z
  .object({
    name: slugName,
    description: z.string().default(''),
    teacher: z
      .object({
        datasets: z.array(z.string().min(1)).min(1, 'needs at least one teacher dataset'),
        /** Seed of the nested sampling (the same subsets for every training seed). */
        sampling_seed: z.number().int().min(0).default(0),
        max_per_question: z.number().int().min(1).nullable().default(null),
        stratify: z.enum(['difficulty', 'source']).nullable().default(null),
      })
      .strict(),
    /** Partitions the study needs, made from presets when missing. */
    partitions: partitionPresetSchema.prefault({}),
    students: z.array(z.string().min(1)).min(1, 'needs at least one student'),
    /** Each student's local tokenizer (its tokenizer.json, or the model folder holding it): row lengths and the `<think>` check use it. */
    tokenizers: z.record(z.string(), z.string().min(1)).default({}),
    seeds: z.array(z.number().int().min(0)).min(1, 'needs at least one seed'),
    curve: z
      .object({
        sizes: z.array(size).default([]),
        partition: z.string().min(1).nullable().default(null),
        /** The untrained student, evaluated once (size 0). */
        baseline: z.boolean().default(true),
      })
      .strict(),
    ablations: z.array(ablationSchema).default([]),
    transforms: transformsSchema.prefault({}),
    trainer: z
      .object({ template: z.string().min(1).default('torchtune-full'), variables: vars })
      .strict()
      .prefault({}),
    evaluation: z
      .object({ template: z.string().min(1).default('lcb-eval'), variables: vars })
      .strict()
      .prefault({}),
    cluster: z.string().min(1).nullable().default(null),
    estimate: z
      .object({
        /** Training throughput, tokens per GPU per second (set it from a measured run). */
        tokens_per_gpu_second: z.number().positive().default(2500),
        gpus_per_job: z.number().int().min(1).default(8),
        epochs: z.number().int().min(1).default(5),
        /** GPU-hours of one evaluation. */
        eval_gpu_hours: z.number().min(0).default(2),
        /** Checkpoints kept per training job (torchtune writes one per epoch). */
        checkpoints_kept: z.number().int().min(1).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Study = z.output<typeof studySchema>;
export type StudyInput = z.input<typeof studySchema>;

export const cellStates = [
  'planned',
  'exported',
  'uploaded',
  'queued',
  'training',
  'evaluating',
  'done',
  'failed',
  'cancelled',
] as const;
export type CellState = (typeof cellStates)[number];

/** The seed paper's design ("The Valley of Code Reasoning"), what "New study from the paper" starts from. */
export const paperStudy = (dataset: string, name = 'valley-of-code-reasoning'): StudyInput => ({
  name,
  description:
    'The Valley of Code Reasoning: nested OCR2 subsets, two students, and the correctness, difficulty and structure ablations',
  teacher: { datasets: [dataset], sampling_seed: 0, max_per_question: null, stratify: null },
  partitions: { correctness: 'judgement', difficulty: { easy: ['EASY', 'MEDIUM'], hard: ['HARD', 'VERY_HARD'] } },
  students: ['Qwen/Qwen2.5-7B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'],
  seeds: [0],
  curve: { sizes: [1000, 10000, 30000], partition: null, baseline: true },
  ablations: [
    {
      name: 'correctness',
      description: 'From the checkpoint at the valley exit: 6K correct-only vs 6K incorrect-only traces',
      continue_from: 'curve-30000',
      conditions: [
        { name: 'correct', partition: 'correct', size: 6000 },
        { name: 'incorrect', partition: 'incorrect', size: 6000 },
      ],
    },
    {
      name: 'difficulty',
      description: '4K easy vs 4K hard problems (TACO difficulty)',
      continue_from: null,
      conditions: [
        { name: 'easy', partition: 'easy', size: 4000 },
        { name: 'hard', partition: 'hard', size: 4000 },
      ],
    },
    {
      name: 'structure',
      description:
        'From the 30K checkpoint: 6K correct without think tags, 6K incorrect with tags, 6K incorrect without',
      continue_from: 'curve-30000',
      conditions: [
        { name: 'correct-nothink', partition: 'correct', size: 6000, strip_think: true },
        { name: 'incorrect-think', partition: 'incorrect', size: 6000 },
        { name: 'incorrect-nothink', partition: 'incorrect', size: 6000, strip_think: true },
      ],
    },
  ],
  transforms: { strip_think: false, overlong: 'drop', max_seq_len: 32768 },
  trainer: { template: 'torchtune-full', variables: {} },
  evaluation: { template: 'lcb-eval', variables: {} },
  cluster: null,
  estimate: { tokens_per_gpu_second: 2500, gpus_per_job: 8, epochs: 5, eval_gpu_hours: 2, checkpoints_kept: 5 },
});
