import { Document, isScalar, parseDocument, visit, type Scalar } from 'yaml';
import { ValleyError } from '../../../shared/api';
import { torchtuneModelTypeSchema, type StudentSpec } from '../../../shared/domain/students';

/**
 * torchtune configs as data. The template `config.yaml` is a YAML document whose scalars may be `{{variable}}`
 * placeholders: a placeholder that is the whole scalar takes the variable's typed value (a number, a string, a
 * mapping), one inside a longer string is text. Rendering parses the template with a YAML library, substitutes,
 * checks the result against what torchtune 0.7.0's full_finetune_distributed recipe reads (docs/CLUSTER.md names
 * the source files), and writes it with the same library: no quoting is ever pasted by hand.
 */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };
type VarType = 'int' | 'float' | 'string' | 'bool';

/** Types of the variables that are not strings (every other variable is a string). */
const variableTypes: Readonly<Record<string, VarType>> = {
  gpus: 'int',
  nodes: 'int',
  batch_size: 'int',
  grad_accum: 'int',
  effective_batch: 'int',
  epochs: 'int',
  max_seq_len: 'int',
  seed: 'int',
  warmup_steps: 'int',
  total_steps: 'int',
  steps_per_epoch: 'int',
  size: 'int',
  rows: 'int',
  lr: 'float',
  warmup_ratio: 'float',
};

const typed = (name: string, value: string, where: string): ConfigValue => {
  const type = variableTypes[name] ?? 'string';
  if (type === 'string') return value;
  if (type === 'bool') {
    if (!/^(true|false)$/i.test(value))
      throw new ValleyError('bad_input', `${where}: variable ${name} must be true or false, not "${value}"`, {
        field: `variables.${name}`,
      });
    return value.toLowerCase() === 'true';
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (type === 'int' && !Number.isInteger(n))) {
    throw new ValleyError(
      'bad_input',
      `${where}: variable ${name} must be ${type === 'int' ? 'a whole number' : 'a number'}, not "${value}"`,
      { field: `variables.${name}` },
    );
  }
  return n;
};

const placeholder = /\{\{\s*([\w.-]+)\s*\}\}/g;
const whole = /^\{\{\s*([\w.-]+)\s*\}\}$/;

/**
 * Fill a YAML template. `vars` are the job's string variables (typed by name); `structured` are values built in
 * code (the student's model and tokenizer sections). An unknown variable or a YAML error names the file and line.
 */
export const renderYamlTemplate = (
  file: string,
  text: string,
  vars: Readonly<Record<string, string>>,
  structured: Readonly<Record<string, ConfigValue>> = {},
): { text: string; config: ConfigValue } => {
  const doc = parseDocument(text, { prettyErrors: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 0 : text.slice(0, offset).split('\n').length);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e?.linePos?.[0]?.line ?? 0;
    throw new ValleyError('bad_input', `${file}, line ${line}: not valid YAML: ${e?.message.split('\n')[0] ?? ''}`, {
      file,
      line,
    });
  }
  const valueOf = (name: string, line: number): ConfigValue => {
    if (name in structured) return structured[name] as ConfigValue;
    const v = vars[name];
    if (v === undefined)
      throw new ValleyError('bad_input', `${file}, line ${line}: unknown variable {{${name}}}`, {
        file,
        line,
        field: name,
      });
    return typed(name, v, `${file}, line ${line}`);
  };
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value !== 'string' || !node.value.includes('{{')) return undefined;
      const line = lineOf(node.range?.[0]);
      const m = whole.exec(node.value);
      if (m) {
        const created = doc.createNode(valueOf(m[1] as string, line));
        if (isScalar(created)) created.comment = node.comment;
        return created;
      }
      node.value = node.value.replace(placeholder, (_m, name: string) => {
        const v = valueOf(name, line);
        if (v !== null && typeof v === 'object')
          throw new ValleyError(
            'bad_input',
            `${file}, line ${line}: {{${name}}} is a section, it cannot be part of a string`,
            { file, line, field: name },
          );
        return String(v);
      });
      return undefined;
    },
  });
  // the header comment may name variables too (as text; a section or an unknown name stays as written)
  if (doc.commentBefore) {
    doc.commentBefore = doc.commentBefore.replace(placeholder, (m, name: string) => {
      const v = name in structured ? structured[name] : vars[name];
      return v === undefined || (v !== null && typeof v === 'object') ? m : String(v);
    });
  }
  const config = doc.toJS() as ConfigValue;
  return { text: doc.toString({ lineWidth: 0 }), config };
};

/** The optimizer steps full_finetune_distributed runs (recipe: epochs × (len(dataloader) // gradient_accumulation_steps)). */
export interface RecipeSteps {
  /** Rows each data-parallel rank sees per epoch: DistributedSampler without drop_last pads to ceil(rows / world). */
  rowsPerRank: number;
  /** Batches per rank per epoch: the DataLoader drops the last partial batch (drop_last=True in the recipe). */
  batchesPerRank: number;
  stepsPerEpoch: number;
  total: number;
}

export const recipeSteps = (p: {
  rows: number;
  worldSize: number;
  batchSize: number;
  gradAccum: number;
  epochs: number;
}): RecipeSteps => {
  const rowsPerRank = Math.ceil(p.rows / Math.max(1, p.worldSize));
  const batchesPerRank = Math.floor(rowsPerRank / Math.max(1, p.batchSize));
  const stepsPerEpoch = Math.floor(batchesPerRank / Math.max(1, p.gradAccum));
  return { rowsPerRank, batchesPerRank, stepsPerEpoch, total: stepsPerEpoch * p.epochs };
};

/** The student's `model` and `tokenizer` sections, its files under the model folder. */
export const studentSections = (s: StudentSpec, modelDir: string, maxSeqLen: number): Record<string, ConfigValue> => {
  const tokenizer: Record<string, ConfigValue> = { _component_: s.tokenizer.component };
  for (const [arg, f] of Object.entries(s.tokenizer.files)) tokenizer[arg] = `${modelDir.replace(/\/+$/, '')}/${f}`;
  tokenizer['max_seq_len'] = maxSeqLen;
  return { 'student.model': { _component_: s.modelComponent }, 'student.tokenizer': tokenizer };
};

type Check = 'int' | 'int?' | 'bool' | 'string' | 'component' | 'section';
/** Keys full_finetune_distributed.py reads as `cfg.X` (no default), and the required arguments of the components Valley uses. */
export const requiredKeys: Readonly<Record<string, Check>> = {
  output_dir: 'string',
  device: 'string',
  dtype: 'string',
  log_level: 'string',
  seed: 'int?',
  shuffle: 'bool',
  batch_size: 'int',
  epochs: 'int',
  max_steps_per_epoch: 'int?',
  gradient_accumulation_steps: 'int',
  resume_from_checkpoint: 'bool',
  model: 'section',
  'model._component_': 'component',
  tokenizer: 'section',
  'tokenizer._component_': 'component',
  'tokenizer.path': 'string',
  checkpointer: 'section',
  'checkpointer._component_': 'component',
  'checkpointer.checkpoint_dir': 'string',
  'checkpointer.output_dir': 'string',
  'checkpointer.model_type': 'string',
  dataset: 'section',
  'dataset._component_': 'component',
  optimizer: 'section',
  'optimizer._component_': 'component',
  loss: 'section',
  'loss._component_': 'component',
  metric_logger: 'section',
  'metric_logger._component_': 'component',
};

const get = (c: ConfigValue, path: string): ConfigValue | undefined => {
  let v: ConfigValue | undefined = c;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? v[k] : undefined;
  return v;
};
const isSection = (v: ConfigValue | undefined): v is { [key: string]: ConfigValue } =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/**
 * Check a rendered config the way torchtune would fail on it: every key the recipe reads without a default, with the
 * type it needs; `_component_`s as dotted paths; max_filename a string; model_type a ModelType; the components'
 * own required arguments (chat_dataset, the Qwen2.5 tokenizer's merges_file, DiskLogger's log_dir, the scheduler's warmup).
 */
export const checkTorchtuneConfig = (file: string, config: ConfigValue): void => {
  const fail = (key: string, what: string) => {
    throw new ValleyError('bad_input', `${file}: ${key} ${what}`, { file, field: key });
  };
  if (!isSection(config)) fail('(top level)', 'must be a mapping');
  for (const [key, check] of Object.entries(requiredKeys)) {
    const v = get(config, key);
    if (v === undefined) fail(key, 'is missing (full_finetune_distributed reads it without a default)');
    if (check === 'int' && !(typeof v === 'number' && Number.isInteger(v) && v >= 1))
      fail(key, `must be a whole number ≥ 1, not ${JSON.stringify(v)}`);
    if (check === 'int?' && v !== null && !(typeof v === 'number' && Number.isInteger(v)))
      fail(key, `must be a whole number or null, not ${JSON.stringify(v)}`);
    if (check === 'bool' && typeof v !== 'boolean') fail(key, `must be true or false, not ${JSON.stringify(v)}`);
    if (check === 'string' && (typeof v !== 'string' || v === ''))
      fail(key, `must be a non-empty string, not ${JSON.stringify(v)}`);
    if (check === 'component' && !(typeof v === 'string' && /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(v)))
      fail(key, `must be a dotted Python path, not ${JSON.stringify(v)}`);
    if (check === 'section' && !isSection(v)) fail(key, 'must be a section');
  }
  if (!['bf16', 'fp32'].includes(String(get(config, 'dtype'))))
    fail('dtype', 'must be bf16 or fp32 (the recipe refuses fp16)');
  if (!['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'].includes(String(get(config, 'log_level'))))
    fail('log_level', 'must be DEBUG, INFO, WARNING, ERROR or CRITICAL');
  if (!torchtuneModelTypeSchema.safeParse(get(config, 'checkpointer.model_type')).success)
    fail('checkpointer.model_type', `must be one of ${torchtuneModelTypeSchema.options.join(', ')}`);
  const files = get(config, 'checkpointer.checkpoint_files');
  if (isSection(files)) {
    if (typeof files['filename_format'] !== 'string' || (files['filename_format'].match(/\{\}/g) ?? []).length !== 2)
      fail('checkpointer.checkpoint_files.filename_format', 'must be a string with exactly two {} placeholders');
    if (typeof files['max_filename'] !== 'string' || !/^\d+$/.test(files['max_filename']))
      fail(
        'checkpointer.checkpoint_files.max_filename',
        `must be a string of digits such as "00004" (FormattedCheckpointFiles), not ${JSON.stringify(files['max_filename'])}`,
      );
  } else if (!(Array.isArray(files) && files.length > 0 && files.every((f) => typeof f === 'string'))) {
    fail('checkpointer.checkpoint_files', 'must be a list of file names or {filename_format, max_filename}');
  }
  const sections = config as { [key: string]: ConfigValue };
  const component = (section: string) => String(get(sections, `${section}._component_`));
  if (component('dataset') === 'torchtune.datasets.chat_dataset') {
    for (const k of ['source', 'conversation_column', 'conversation_style'])
      if (typeof get(sections, `dataset.${k}`) !== 'string')
        fail(`dataset.${k}`, 'is missing (chat_dataset requires it)');
    if (!['openai', 'sharegpt'].includes(String(get(sections, 'dataset.conversation_style'))))
      fail('dataset.conversation_style', 'must be openai or sharegpt');
  }
  if (
    component('tokenizer') === 'torchtune.models.qwen2_5.qwen2_5_tokenizer' &&
    typeof get(sections, 'tokenizer.merges_file') !== 'string'
  )
    fail('tokenizer.merges_file', 'is missing (qwen2_5_tokenizer requires it)');
  if (
    component('tokenizer').startsWith('torchtune.models.llama3') &&
    get(sections, 'tokenizer.merges_file') !== undefined
  )
    fail('tokenizer.merges_file', 'is not an argument of the Llama 3 tokenizer');
  if (component('metric_logger').endsWith('DiskLogger') && typeof get(sections, 'metric_logger.log_dir') !== 'string')
    fail('metric_logger.log_dir', 'is missing (DiskLogger requires it)');
  const sched = get(sections, 'lr_scheduler');
  if (isSection(sched) && String(sched['_component_']).endsWith('get_cosine_schedule_with_warmup')) {
    const w = sched['num_warmup_steps'];
    if (!(typeof w === 'number' && Number.isInteger(w) && w >= 0))
      fail('lr_scheduler.num_warmup_steps', `must be a whole number, not ${JSON.stringify(w)}`);
  }
};

/** The built-in torchtune template: the seed study's recipe as data, with `{{variables}}` where a job fills in values. */
export const torchtuneTemplateText = (): string => {
  const doc = new Document({
    output_dir: '{{output_dir}}',
    model: '{{student.model}}',
    tokenizer: '{{student.tokenizer}}',
    checkpointer: {
      _component_: 'torchtune.training.FullModelHFCheckpointer',
      checkpoint_dir: '{{model_dir}}',
      checkpoint_files: { filename_format: 'model-{}-of-{}.safetensors', max_filename: '{{checkpoint_shards}}' },
      recipe_checkpoint: null,
      output_dir: '{{output_dir}}',
      model_type: '{{model_type}}',
    },
    resume_from_checkpoint: false,
    dataset: {
      _component_: 'torchtune.datasets.chat_dataset',
      source: 'json',
      data_files: '{{data_file}}',
      split: 'train',
      conversation_column: 'messages',
      conversation_style: 'openai',
      train_on_input: false,
      packed: false,
    },
    seed: '{{seed}}',
    shuffle: true,
    batch_size: '{{batch_size}}',
    gradient_accumulation_steps: '{{grad_accum}}',
    epochs: '{{epochs}}',
    max_steps_per_epoch: null,
    optimizer: { _component_: 'torch.optim.AdamW', lr: '{{lr}}', fused: true },
    lr_scheduler: {
      _component_: 'torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup',
      num_warmup_steps: '{{warmup_steps}}',
    },
    loss: { _component_: 'torchtune.modules.loss.LinearCrossEntropyLoss' },
    clip_grad_norm: null,
    compile: false,
    device: 'cuda',
    dtype: 'bf16',
    enable_activation_checkpointing: true,
    metric_logger: { _component_: 'torchtune.training.metric_logging.DiskLogger', log_dir: '{{output_dir}}/logs' },
    log_every_n_steps: 1,
    log_peak_memory_stats: true,
    log_level: 'INFO',
  });
  doc.commentBefore =
    ' torchtune full_finetune_distributed, written by Valley for job {{job_name}}\n' +
    ' {{student}} on {{subset}} ({{size}} rows), seed {{seed}}\n' +
    ' effective batch {{effective_batch}} = batch_size × gradient_accumulation_steps × GPUs × nodes\n' +
    ' {{total_steps}} optimizer steps = epochs × ({{rows_per_rank}} rows per rank // batch_size // accumulation); warmup {{warmup_ratio}} of them\n' +
    ' Edit freely: {{name}} is a typed variable (a whole scalar keeps its type); the result is checked before use.';
  const model = doc.get('model', true) as Scalar | undefined;
  if (model)
    model.commentBefore =
      " the student's sections: builder, tokenizer files (from Valley's description of the student)";
  return doc.toString({ lineWidth: 0 });
};
