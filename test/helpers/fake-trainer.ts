/**
 * Stand-ins for the tools a cluster runs, installed on the test host (they need /usr/bin/python3 with OmegaConf).
 *
 * `tune` (torchtune's CLI): `tune run [--nnodes N --nproc_per_node G …] full_finetune_distributed --config FILE`
 * loads FILE with OmegaConf the way torchtune's config.parse does and reads it the way
 * recipes/full_finetune_distributed.py (torchtune 0.7.0) does: `cfg.X` for every key the recipe reads without a
 * default (OmegaConf raises ConfigAttributeError on a missing one), FormattedCheckpointFiles' string max_filename,
 * ModelType[model_type], chat_dataset's required arguments, the tokenizer builders' arguments, and the files the
 * checkpointer and tokenizer open. It fails the way torchtune would (a Python traceback, exit code 1). Then it
 * prints `Step N | loss:… lr:…` lines, appends them to the DiskLogger file, and writes the final checkpoint
 * (output_dir/epoch_<epochs-1>/ with the shards and config.json, whose trained_rows adds the rows to the
 * checkpoint's own: a training continued from another job's checkpoint shows it). $VALLEY_FAKE_STEPS steps, $VALLEY_FAKE_SLEEP s each.
 * Without --config (the `custom` template's `command: tune`) it trains on $VALLEY_DATA_FILE and also writes an
 * LCB-format `*_eval_all.json` with 10 problems of which the first min(rows, 10) pass.
 */
export const fakeTuneScript = `#!/usr/bin/python3
import json, os, string, sys, time
from omegaconf import OmegaConf

args = sys.argv[1:]
if args and args[0] != "run":
    sys.exit("usage: tune run [launcher options] RECIPE --config FILE")
cfg_file = args[args.index("--config") + 1] if "--config" in args else None
steps = int(os.environ.get("VALLEY_FAKE_STEPS", "5"))
pause = float(os.environ.get("VALLEY_FAKE_SLEEP", "0.05"))

def fail(message):
    raise SystemExit("torchtune stand-in: " + message)

if cfg_file:
    cfg = OmegaConf.load(cfg_file)
    # FullFinetuneRecipeDistributed.__init__ and setup(): cfg.X without a default
    cfg.device; cfg.dtype; cfg.output_dir; cfg.log_level; cfg.resume_from_checkpoint
    accum = cfg.gradient_accumulation_steps; cfg.checkpointer.model_type; seed = cfg.seed
    epochs = cfg.epochs; cfg.max_steps_per_epoch; cfg.metric_logger; cfg.model; cfg.tokenizer
    cfg.optimizer; cfg.loss; cfg.dataset; cfg.shuffle; batch = cfg.batch_size
    if cfg.dtype not in ("bf16", "fp32"): fail("dtype %s: full fp16 training is not supported" % cfg.dtype)
    if cfg.log_level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"): fail("unknown log level %s" % cfg.log_level)
    for name, value in (("gradient_accumulation_steps", accum), ("epochs", epochs), ("batch_size", batch)):
        if not isinstance(value, int) or value < 1: fail("%s must be a positive int, got %r" % (name, value))
    known = {
        "torchtune.models.qwen2_5.qwen2_5_7b_instruct", "torchtune.models.llama3_1.llama3_1_8b",
        "torchtune.models.qwen2_5.qwen2_5_tokenizer", "torchtune.models.llama3.llama3_tokenizer",
        "torchtune.training.FullModelHFCheckpointer", "torchtune.datasets.chat_dataset", "torch.optim.AdamW",
        "torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup", "torchtune.modules.loss.LinearCrossEntropyLoss",
        "torchtune.modules.loss.CEWithChunkedOutputLoss", "torchtune.training.metric_logging.DiskLogger",
    }
    for section in ("model", "tokenizer", "checkpointer", "dataset", "optimizer", "loss", "metric_logger", "lr_scheduler"):
        if section == "lr_scheduler" and cfg.get("lr_scheduler") is None: continue
        component = cfg[section]._component_
        if component not in known: fail("Error loading '%s': no such component" % component)
    ck = cfg.checkpointer
    ck.checkpoint_dir; ck.checkpoint_files; ck.output_dir
    model_types = ["GEMMA", "GEMMA2", "LLAMA2", "LLAMA3", "LLAMA3_2", "LLAMA3_VISION", "MISTRAL", "PHI3_MINI", "PHI4_MINI", "REWARD", "QWEN2", "CLIP_TEXT", "T5_ENCODER"]
    if ck.model_type not in model_types: fail("KeyError: %r is not a ModelType" % ck.model_type)
    files = ck.checkpoint_files
    if OmegaConf.is_dict(files):
        if "filename_format" not in files or "max_filename" not in files:
            fail("Must pass 'filename_format' and 'max_filename' keys to generate checkpoint filenames")
        if not isinstance(files.max_filename, str):
            fail("\`max_filename\` must be a string, but found %s instead." % type(files.max_filename))
        if len([p for p in string.Formatter().parse(files.filename_format) if p[1] is not None]) != 2:
            fail("Filename format string must have exactly two placeholders")
        n = int(files.max_filename)
        shards = [files.filename_format.format(str(i + 1).zfill(len(files.max_filename)), files.max_filename) for i in range(n)]
    else:
        shards = list(files)
    for f in shards:
        if not os.path.isfile(os.path.join(ck.checkpoint_dir, f)): fail("No file with name: %s found in %s." % (f, ck.checkpoint_dir))
    tok = cfg.tokenizer
    if tok._component_.endswith("qwen2_5_tokenizer"):
        tok.path; tok.merges_file
    else:
        tok.path
        extra = set(tok.keys()) - {"_component_", "path", "special_tokens_path", "max_seq_len", "prompt_template", "truncation_type"}
        if extra: fail("TypeError: llama3_tokenizer() got an unexpected keyword argument %r" % sorted(extra)[0])
    for key in [k for k in tok.keys() if k in ("path", "merges_file")]:
        if not os.path.isfile(tok[key]): fail("tokenizer %s: no such file %s" % (key, tok[key]))
    ds = cfg.dataset
    if ds._component_ == "torchtune.datasets.chat_dataset":
        ds.source; ds.conversation_column; style = ds.conversation_style
        if style not in ("sharegpt", "openai"): fail("Unsupported conversation style: %s" % style)
    cfg.metric_logger.log_dir
    if cfg.get("lr_scheduler") is not None and not isinstance(cfg.lr_scheduler.num_warmup_steps, int):
        fail("num_warmup_steps must be an int")
    data, out = ds.data_files, cfg.output_dir
else:
    data, out, epochs = os.environ["VALLEY_DATA_FILE"], os.environ["VALLEY_OUTPUT_DIR"], 1

rows = sum(1 for line in open(data) if line.strip())
print("fake torchtune: %d examples from %s" % (rows, data), flush=True)
os.makedirs(os.path.join(out, "logs"), exist_ok=True)
with open(os.path.join(out, "logs", "log_1.txt"), "a") as log:
    for i in range(1, steps + 1):
        line = "Step %d | loss:%.4f lr:8e-05 tokens_per_second_per_gpu:1000.0" % (i, 2.5 / i)
        print(line, flush=True)
        log.write(line + "\\n")
        time.sleep(pause)
if cfg_file:
    final = os.path.join(out, "epoch_%d" % (epochs - 1))
    os.makedirs(final, exist_ok=True)
    for f in shards:
        open(os.path.join(final, f), "w").write("fake weights\\n")
    # the checkpointer copies the model's config.json beside the new weights
    model_config = json.load(open(os.path.join(cfg.checkpointer.checkpoint_dir, "config.json")))
    # rows seen by these weights: a training continued from a checkpoint adds to its base's
    model_config["trained_rows"] = model_config.get("trained_rows", 0) + rows
    with open(os.path.join(final, "config.json"), "w") as f:
        json.dump(model_config, f)
else:
    problems = []
    for i in range(1, 11):
        d = "medium" if i % 3 == 1 else "hard" if i % 3 == 2 else "easy"
        problems.append({"question_id": "q%d" % i, "difficulty": d, "graded_list": [i <= rows], "code_list": ["print(%d)" % i],
                         "output_list": ["<think>x</think>print(%d)" % i], "pass@1": 0})
    with open(os.path.join(out, "Fake-Student_N1_Scenario.codegeneration_1_0.2_eval_all.json"), "w") as f:
        json.dump(problems, f)
print("fake torchtune: done", flush=True)
`;

/**
 * A stand-in for LiveCodeBench's runner, importable as `lcb_runner.runner.main` (put its folder on PYTHONPATH or
 * use it as the profile's lcb_dir). It parses LiveCodeBench's own argument names (lcb_runner/runner/parser.py),
 * refuses what vLLM would (no model folder, a tensor-parallel size that does not divide the heads in the model's
 * config.json), and writes `output/<model>/<scenario>_<n>_<temperature>_eval_all.json` in the working folder
 * (lcb_runner/utils/path_utils.py) in LiveCodeBench's format: 10 problems, the first min(trained rows, 10) pass.
 */
export const fakeLcbMain = `import argparse, json, os, sys
parser = argparse.ArgumentParser()
parser.add_argument("--model", type=str, default="gpt-3.5-turbo-0301")
parser.add_argument("--local_model_path", type=str, default=None)
parser.add_argument("--trust_remote_code", action="store_true")
parser.add_argument("--scenario", type=str, default="codegeneration", choices=["codegeneration", "selfrepair", "testoutputprediction", "codeexecution"])
parser.add_argument("--not_fast", action="store_true")
parser.add_argument("--release_version", type=str, default="release_latest")
parser.add_argument("--cot_code_execution", action="store_true")
parser.add_argument("--n", type=int, default=10)
parser.add_argument("--codegen_n", type=int, default=10)
parser.add_argument("--temperature", type=float, default=0.2)
parser.add_argument("--top_p", type=float, default=0.95)
parser.add_argument("--max_tokens", type=int, default=2000)
parser.add_argument("--multiprocess", default=0, type=int)
parser.add_argument("--stop", default="###", type=str)
parser.add_argument("--continue_existing", action="store_true")
parser.add_argument("--use_cache", action="store_true")
parser.add_argument("--cache_batch_size", type=int, default=100)
parser.add_argument("--debug", action="store_true")
parser.add_argument("--evaluate", action="store_true")
parser.add_argument("--num_process_evaluate", type=int, default=12)
parser.add_argument("--timeout", type=int, default=6)
parser.add_argument("--openai_timeout", type=int, default=90)
parser.add_argument("--tensor_parallel_size", type=int, default=-1)
parser.add_argument("--enable_prefix_caching", action="store_true")
parser.add_argument("--custom_output_file", type=str, default=None)
parser.add_argument("--custom_output_save_name", type=str, default=None)
parser.add_argument("--dtype", type=str, default="bfloat16")
parser.add_argument("--start_date", type=str, default=None)
parser.add_argument("--end_date", type=str, default=None)
args = parser.parse_args()
path = args.local_model_path if args.local_model_path is not None else args.model
if not os.path.isdir(path):
    sys.exit("vLLM stand-in: no model folder %r" % path)
heads = json.load(open(os.path.join(path, "config.json"))).get("num_attention_heads", 28)
if heads % args.tensor_parallel_size != 0:
    sys.exit("vLLM stand-in: Total number of attention heads (%d) must be divisible by tensor parallel size (%d)." % (heads, args.tensor_parallel_size))
rows = json.load(open(os.path.join(path, "config.json"))).get("trained_rows", 0)
problems = []
for i in range(1, 11):
    d = "medium" if i % 3 == 1 else "hard" if i % 3 == 2 else "easy"
    graded = [j < args.n and i <= rows for j in range(args.n)]
    problems.append({"question_id": "q%d" % i, "difficulty": d, "graded_list": graded, "code_list": ["print(%d)" % i] * args.n,
                     "output_list": ["<think>x</think>print(%d)" % i] * args.n, "pass@1": sum(graded) / args.n})
out = "output/%s/%s_%d_%s_eval_all.json" % (args.model.split("/")[-1], args.scenario, args.n, args.temperature)
os.makedirs(os.path.dirname(out), exist_ok=True)
json.dump(problems, open(out, "w"))
print("LiveCodeBench stand-in: %d problems → %s" % (len(problems), out))
`;

/** Files of a student's model folder as torchtune and vLLM open them (weights are placeholders). */
export const fakeModelFiles = (
  tokenizerFiles: readonly string[],
  shards: string,
  heads: number,
): Record<string, string> => {
  const out: Record<string, string> = {
    'config.json': JSON.stringify({ num_attention_heads: heads }),
    'tokenizer.json': '{}',
  };
  for (const f of tokenizerFiles) out[f] = 'tokenizer\n';
  for (let i = 1; i <= Number(shards); i++)
    out[`model-${String(i).padStart(shards.length, '0')}-of-${shards}.safetensors`] = 'weights\n';
  return out;
};
