import { z } from 'zod';

/**
 * The checkpointer's `model_type` names: torchtune 0.7.0's ModelType (torchtune/training/checkpointing/_utils.py).
 * The one list: the config check accepts these, a student's spec one of those that can be a student.
 */
export const torchtuneModelTypeSchema = z.enum([
  'GEMMA',
  'GEMMA2',
  'LLAMA2',
  'LLAMA3',
  'LLAMA3_2',
  'LLAMA3_VISION',
  'MISTRAL',
  'PHI3_MINI',
  'PHI4_MINI',
  'REWARD',
  'QWEN2',
  'CLIP_TEXT',
  'T5_ENCODER',
]);

/** A student writes text: not REWARD (a single-class reward head), CLIP_TEXT or T5_ENCODER (text encoders). */
export const studentModelTypeSchema = torchtuneModelTypeSchema.exclude(['REWARD', 'CLIP_TEXT', 'T5_ENCODER']);

/**
 * A student model as torchtune and vLLM need it. The two seed students are presets; any other student must be
 * described fully (nothing is guessed). Names are torchtune 0.7.0's: see docs/CLUSTER.md for the source files.
 */
export const studentSpecSchema = z.object({
  /** Hugging Face id, the canonical name of the student's series. */
  id: z.string().min(1).max(200),
  /** Other spellings that mean the same model (short names, old names). */
  aliases: z.array(z.string()).default([]),
  /** torchtune model builder, e.g. torchtune.models.qwen2_5.qwen2_5_7b_instruct. */
  modelComponent: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/, 'a dotted Python path'),
  /** torchtune tokenizer builder and its file arguments (paths relative to the model folder). */
  tokenizer: z.object({
    component: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/, 'a dotted Python path'),
    /** Argument name → file in the model folder, e.g. { path: 'vocab.json', merges_file: 'merges.txt' }. */
    files: z
      .record(z.string().regex(/^[a-z_]+$/), z.string().min(1))
      .refine((f) => 'path' in f, 'the tokenizer needs a `path` file'),
  }),
  /** The checkpointer's model_type: a torchtune ModelType a student can be. */
  modelType: studentModelTypeSchema,
  /** Hugging Face safetensors shards `model-0000i-of-N.safetensors`: N with its leading zeros, as a string. */
  checkpointShards: z.string().regex(/^\d{5}$/, 'five digits, e.g. "00004"'),
  /** Attention heads and key/value heads: vLLM's tensor-parallel size must divide the heads, and divide or be a multiple of the KV heads. */
  attentionHeads: z.number().int().min(1),
  kvHeads: z.number().int().min(1),
});
export type StudentSpec = z.output<typeof studentSpecSchema>;
export type StudentSpecInput = z.input<typeof studentSpecSchema>;

/** The seed study's two students (torchtune 0.7.0 builders; heads from the builders' num_heads). */
export const seedStudents: readonly StudentSpec[] = [
  {
    id: 'Qwen/Qwen2.5-7B-Instruct',
    aliases: ['Qwen2.5-7B-Instruct'],
    modelComponent: 'torchtune.models.qwen2_5.qwen2_5_7b_instruct',
    tokenizer: {
      component: 'torchtune.models.qwen2_5.qwen2_5_tokenizer',
      files: { path: 'vocab.json', merges_file: 'merges.txt' },
    },
    modelType: 'QWEN2',
    checkpointShards: '00004',
    attentionHeads: 28,
    kvHeads: 4,
  },
  {
    id: 'meta-llama/Llama-3.1-8B-Instruct',
    aliases: ['Llama3.1-8B-Instruct', 'Llama-3.1-8B-Instruct', 'meta-llama/Meta-Llama-3.1-8B-Instruct'],
    modelComponent: 'torchtune.models.llama3_1.llama3_1_8b',
    tokenizer: { component: 'torchtune.models.llama3.llama3_tokenizer', files: { path: 'original/tokenizer.model' } },
    modelType: 'LLAMA3',
    checkpointShards: '00004',
    attentionHeads: 32,
    kvHeads: 8,
  },
];

/** Spelling-insensitive key: no organisation prefix, no "meta-" prefix, lower case, letters and digits only. */
const keyOf = (name: string): string =>
  (name.split('/').pop() ?? name)
    .toLowerCase()
    .replace(/^meta-/, '')
    .replace(/[^a-z0-9]/g, '');

/** The student's series name: the Hugging Face id of a known student, whatever spelling was used; else the name as given. */
export const canonicalStudent = (name: string, known: readonly StudentSpec[] = seedStudents): string => {
  const k = keyOf(name.trim());
  const hit = known.find((s) => keyOf(s.id) === k || s.aliases.some((a) => keyOf(a) === k));
  return hit ? hit.id : name.trim();
};

/** The description of a student: a preset (any spelling), or one of the given descriptions; null when unknown. */
export const findStudent = (name: string, described: readonly StudentSpec[] = []): StudentSpec | null => {
  const all = [...described, ...seedStudents];
  const id = canonicalStudent(name, all);
  return all.find((s) => s.id === id) ?? null;
};

/** Whether vLLM accepts this tensor-parallel size for the student (heads divisible; KV heads divisible or replicated evenly). */
export const tensorParallelFits = (student: StudentSpec, tp: number): boolean =>
  tp >= 1 && student.attentionHeads % tp === 0 && (student.kvHeads % tp === 0 || tp % student.kvHeads === 0);

/** Tensor-parallel size for vLLM: the largest size ≤ GPUs that fits the student's heads. */
export const tensorParallelFor = (student: StudentSpec, gpus: number): number => {
  for (let tp = Math.max(1, Math.floor(gpus)); tp > 1; tp--) if (tensorParallelFits(student, tp)) return tp;
  return 1;
};
