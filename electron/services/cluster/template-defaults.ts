import { torchtuneTemplateText } from './torchtune-config';

/**
 * The built-in trainer templates. Valley writes them once into the workspace folder `cluster-templates/`,
 * where the user reads and edits them; from then on the files there are what Valley uses.
 *
 * In scripts, `{{name}}` is replaced by the variable's value shell-quoted; `{{{name}}}` inserts the value as it is
 * (shell lines the user wrote, like the profile's setup). YAML configs are data: `{{name}}` there is a typed
 * variable substituted into the parsed document (torchtune-config.ts), never pasted text.
 */
export interface TemplateDefaults {
  readonly description: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, string>>;
}

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
# (tensor-parallel size {{tensor_parallel}}: it divides {{student}}'s {{attention_heads}} attention heads, as vLLM requires)
set -euo pipefail
{{{setup}}}
{{{pythonpath}}}
mkdir -p results lcb
# LiveCodeBench writes output/<model>/<scenario>_<n>_<temperature>_eval_all.json under its working folder
# (lcb_runner/utils/path_utils.py): each job works in its own folder, so concurrent evaluations never share a file.
cd lcb
python3 -m lcb_runner.runner.main \\
  --model {{model_name}} \\
  --local_model_path {{model_path}} \\
  --scenario codegeneration \\
  --n {{n}} \\
  --temperature {{temperature}} \\
  --max_tokens {{max_tokens}} \\
  --release_version {{release_version}} \\
  --tensor_parallel_size {{tensor_parallel}} \\
  --evaluate
find output -name '*_eval_all.json' -exec cp {} "$VALLEY_JOB_DIR/results/" \\;
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
    description:
      'torchtune full_finetune_distributed with the seed study’s recipe (lr 8e-5, warmup 0.10, 5 epochs, effective batch 128, 8 GPUs)',
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
    files: { 'run.sh': torchtuneRun, 'config.yaml': torchtuneTemplateText() },
  },
  'lcb-eval': {
    description: 'LiveCodeBench code-generation evaluation of a trained checkpoint (writes *_eval_all.json)',
    variables: {
      gpus: '8',
      nodes: '1',
      n: '10',
      temperature: '0.2',
      max_tokens: '32768',
      release_version: 'release_v5',
      time: '12:00:00',
    },
    files: { 'run.sh': lcbRun },
  },
  custom: {
    description: 'Any command; the data file, job folder and sweep values arrive as VALLEY_* environment variables',
    variables: { gpus: '1', nodes: '1', command: 'echo "training on $VALLEY_DATA_FILE"', time: '1:00:00' },
    files: { 'run.sh': customRun },
  },
};
