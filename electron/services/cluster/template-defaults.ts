/**
 * The built-in trainer templates. Valley writes them once into the workspace folder `cluster-templates/`,
 * where the user reads and edits them; from then on the files there are what Valley uses.
 *
 * In templates, `{{name}}` is replaced by the variable's value quoted for the file's language (shell quoting
 * in .sh, a JSON string in .yaml unless the value is a plain number or boolean); `{{{name}}}` inserts the
 * value as it is (shell lines the user wrote, like the profile's setup).
 */
export interface TemplateDefaults {
  readonly description: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, string>>;
}

const torchtuneConfig = `# torchtune full_finetune_distributed — written by Valley for job {{job_name}}
# {{student}} on {{subset}} ({{size}} examples), seed {{seed}}
output_dir: {{output_dir}}

model:
  _component_: {{model_component}}

tokenizer:
  _component_: {{tokenizer_component}}
  path: {{tokenizer_path}}
{{{tokenizer_extra}}}
  max_seq_len: {{max_seq_len}}

checkpointer:
  _component_: torchtune.training.FullModelHFCheckpointer
  checkpoint_dir: {{model_dir}}
  checkpoint_files:
    filename_format: model-{}-of-{}.safetensors
    max_filename: {{checkpoint_shards}}
  recipe_checkpoint: null
  output_dir: {{output_dir}}
  model_type: {{model_type}}
resume_from_checkpoint: False

dataset:
  _component_: torchtune.datasets.chat_dataset
  source: json
  data_files: {{data_file}}
  split: train
  conversation_column: messages
  conversation_style: openai
  packed: False
seed: {{seed}}
shuffle: True

# effective batch = batch_size × gradient_accumulation_steps × GPUs × nodes = {{effective_batch}}
batch_size: {{batch_size}}
gradient_accumulation_steps: {{grad_accum}}
epochs: {{epochs}}
max_steps_per_epoch: null
optimizer:
  _component_: torch.optim.AdamW
  lr: {{lr}}
  fused: True
lr_scheduler:
  _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup
  # warmup ratio {{warmup_ratio}} of {{total_steps}} steps
  num_warmup_steps: {{warmup_steps}}
loss:
  _component_: torchtune.modules.loss.CEWithChunkedOutputLoss
clip_grad_norm: null
compile: False

device: cuda
dtype: bf16
enable_activation_checkpointing: True

metric_logger:
  _component_: torchtune.training.metric_logging.DiskLogger
  log_dir: {{output_dir}}/logs
log_every_n_steps: 1
log_peak_memory_stats: True
`;

const torchtuneRun = `#!/bin/bash
# Valley job {{job_name}}: torchtune full_finetune_distributed on {{nodes}} node(s) × {{gpus}} GPU(s)
set -euo pipefail
{{{setup}}}
mkdir -p {{output_dir}}
{{{launcher}}} tune run --nnodes {{nodes}} --nproc_per_node {{gpus}} {{{rdzv}}} full_finetune_distributed --config config.yaml
# the metric logger's file, beside the job's own log
cat {{output_dir}}/logs/*.txt > metrics.log 2>/dev/null || true
`;

const lcbRun = `#!/bin/bash
# Valley job {{job_name}}: LiveCodeBench evaluation of {{model_path}}
set -euo pipefail
{{{setup}}}
mkdir -p results
cd {{lcb_dir}}
python -m lcb_runner.runner.main \\
  --model {{model_name}} \\
  --local_model_path {{model_path}} \\
  --scenario codegeneration \\
  --n {{n}} \\
  --temperature {{temperature}} \\
  --max_tokens {{max_tokens}} \\
  --release_version {{release_version}} \\
  --tensor_parallel_size {{gpus}} \\
  --evaluate
find output -name '*_eval_all.json' -newer "$VALLEY_JOB_DIR/run.sh" -exec cp {} "$VALLEY_JOB_DIR/results/" \\;
`;

const customRun = `#!/bin/bash
# Valley job {{job_name}}: a custom command. Every variable is also in the environment as VALLEY_<NAME>
# (VALLEY_DATA_FILE, VALLEY_JOB_DIR, VALLEY_OUTPUT_DIR, VALLEY_STUDENT, VALLEY_SEED, …).
# Write LiveCodeBench results as results/*_eval_all.json to have them imported as a run.
set -euo pipefail
{{{setup}}}
mkdir -p results
{{{command}}}
`;

export const defaultTemplates: Readonly<Record<string, TemplateDefaults>> = {
  'torchtune-full': {
    description: 'torchtune full_finetune_distributed with the seed study’s recipe (lr 8e-5, warmup 0.10, 5 epochs, effective batch 128, 8 GPUs)',
    variables: {
      gpus: '8',
      nodes: '1',
      batch_size: '1',
      effective_batch: '128',
      lr: '8e-5',
      warmup_ratio: '0.10',
      epochs: '5',
      max_seq_len: '32768',
      models_dir: 'models',
      time: '2-00:00:00',
    },
    files: { 'run.sh': torchtuneRun, 'config.yaml': torchtuneConfig },
  },
  'lcb-eval': {
    description: 'LiveCodeBench code-generation evaluation of a trained checkpoint (writes *_eval_all.json)',
    variables: { gpus: '8', nodes: '1', model_path: '', model_name: 'Qwen/Qwen2.5-7B-Instruct', n: '10', temperature: '0.2', max_tokens: '32768', release_version: 'release_v5', lcb_dir: 'LiveCodeBench', time: '12:00:00' },
    files: { 'run.sh': lcbRun },
  },
  custom: {
    description: 'Any command; the data file, job folder and sweep values arrive as VALLEY_* environment variables',
    variables: { gpus: '1', nodes: '1', command: 'echo "training on $VALLEY_DATA_FILE"', time: '1:00:00' },
    files: { 'run.sh': customRun },
  },
};

/** What Valley knows about the seed study's students: torchtune builders and checkpoint layout. */
export const studentPresets: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Qwen/Qwen2.5-7B-Instruct': {
    model_component: 'torchtune.models.qwen2_5.qwen2_5_7b_instruct',
    tokenizer_component: 'torchtune.models.qwen2_5.qwen2_5_tokenizer',
    tokenizer_file: 'vocab.json',
    tokenizer_merges: 'merges.txt',
    model_type: 'QWEN2',
    checkpoint_shards: '00004',
  },
  'meta-llama/Llama-3.1-8B-Instruct': {
    model_component: 'torchtune.models.llama3_1.llama3_1_8b',
    tokenizer_component: 'torchtune.models.llama3.llama3_tokenizer',
    tokenizer_file: 'original/tokenizer.model',
    tokenizer_merges: '',
    model_type: 'LLAMA3',
    checkpoint_shards: '00004',
  },
};
