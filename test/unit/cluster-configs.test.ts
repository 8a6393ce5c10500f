import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterProfileSchema, submitRequestSchema, type Template } from '../../shared/api/cluster';
import { seedStudents } from '../../shared/domain/students';
import { defaultTemplates } from '../../electron/services/cluster/template-defaults';
import { planSubmission } from '../../electron/services/cluster/plan';
import type { DataItem } from '../../electron/services/cluster/plan-data';
import { requiredKeys } from '../../electron/services/cluster/torchtune-config';
import { fakeModelFiles, fakeTuneScript } from '../helpers/fake-trainer';

/**
 * Every torchtune config Valley generates (both students; 1K/10K/30K; 1 and 2 nodes) is loaded by OmegaConf itself
 * (Debian's python3-omegaconf) and read the way full_finetune_distributed.py reads it; then the stand-in `tune`
 * (which fails like torchtune on a missing key or a wrong type) runs on it.
 */
const python = '/usr/bin/python3';
const hasOmegaConf = spawnSync(python, ['-c', 'import omegaconf']).status === 0;
if (!hasOmegaConf)
  console.warn(
    'SKIPPED OmegaConf config tests: /usr/bin/python3 cannot import omegaconf (apt-get install python3-omegaconf)',
  );

const root = mkdtempSync(join(tmpdir(), 'valley-cfg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tpl = (name: string): Template => {
  const t = defaultTemplates[name] as NonNullable<(typeof defaultTemplates)[string]>;
  return {
    name,
    description: '',
    variables: { ...t.variables },
    files: Object.entries(t.files).map(([file, text]) => ({ name: file, path: file, text })),
  };
};

interface Case {
  student: string;
  rows: number;
  nodes: number;
  file: string;
  dir: string;
}

const plans = (): Case[] => {
  const profile = clusterProfileSchema.parse({ name: 's', kind: 'slurm', host: 'h', partition: 'gpu' });
  const out: Case[] = [];
  for (const nodes of [1, 2]) {
    const req = submitRequestSchema.parse({
      cluster: 's',
      template: 'torchtune-full',
      students: seedStudents.map((s) => s.id),
      variables: { nodes: String(nodes) },
    });
    const data: DataItem[] = [1000, 10000, 30000].map((n) => ({
      subset: 'ocr2',
      size: n,
      rows: n,
      local: `/x/ocr2-${n}.jsonl`,
      sha256: null,
      manifest: null,
      dataset: 'ocr2',
      partition: null,
      subsetSeed: 0,
      manifestSha256: null,
    }));
    const plan = planSubmission(req, profile, tpl('torchtune-full'), join(root, `n${nodes}`), data);
    for (const job of plan.jobs) {
      mkdirSync(job.dir, { recursive: true });
      const file = join(job.dir, 'config.yaml');
      writeFileSync(file, job.files.find((f) => f.name === 'config.yaml')?.text ?? '');
      out.push({
        student: job.labels['student'] as string,
        rows: Number(job.labels['size']),
        nodes,
        file,
        dir: job.dir,
      });
    }
  }
  return out;
};

// Reads each file with OmegaConf; `cfg[...]` attribute access raises on a missing key, as in the recipe.
const reader = `
import json, math, sys
from omegaconf import OmegaConf
keys = json.loads(sys.argv[1])
out = []
for f in sys.argv[2:]:
    cfg = OmegaConf.load(f)
    for k in keys:
        node = cfg
        for part in k.split("."):
            node = getattr(node, part)
    out.append({
        "lr": cfg.optimizer.lr, "epochs": cfg.epochs, "batch": cfg.batch_size, "accum": cfg.gradient_accumulation_steps,
        "max_seq_len": cfg.tokenizer.max_seq_len, "warmup": cfg.lr_scheduler.num_warmup_steps, "log_level": cfg.log_level,
        "max_filename": cfg.checkpointer.checkpoint_files.max_filename, "max_filename_is_str": isinstance(cfg.checkpointer.checkpoint_files.max_filename, str),
        "model": cfg.model._component_, "tokenizer": cfg.tokenizer._component_, "merges": cfg.tokenizer.get("merges_file"),
        "model_type": cfg.checkpointer.model_type, "log_dir": cfg.metric_logger.log_dir, "output_dir": cfg.output_dir,
        "components": sorted(v["_component_"] for v in cfg.values() if OmegaConf.is_dict(v) and "_component_" in v),
    })
print(json.dumps(out))
`;

describe.skipIf(!hasOmegaConf)('generated torchtune configs under OmegaConf', () => {
  const cases = plans();

  it('hold every key the recipe reads without a default, the components, and the seed study’s values', () => {
    expect(cases).toHaveLength(12);
    const loaded = JSON.parse(
      execFileSync(python, [
        '-c',
        reader,
        JSON.stringify(Object.keys(requiredKeys)),
        ...cases.map((c) => c.file),
      ]).toString(),
    ) as Record<string, unknown>[];
    loaded.forEach((cfg, i) => {
      const c = cases[i] as Case;
      const qwen = c.student.startsWith('Qwen/');
      const world = 8 * c.nodes;
      expect(cfg['lr']).toBe(8e-5);
      expect(cfg['epochs']).toBe(5);
      expect(cfg['max_seq_len']).toBe(32768);
      expect((cfg['batch'] as number) * (cfg['accum'] as number) * world).toBe(128);
      // the recipe's own count: DistributedSampler pads to ceil(rows / world) per rank, the DataLoader drops the last partial batch
      const steps =
        5 * Math.floor(Math.floor(Math.ceil(c.rows / world) / (cfg['batch'] as number)) / (cfg['accum'] as number));
      expect(cfg['warmup']).toBe(Math.ceil(0.1 * steps));
      expect(cfg['log_level']).toBe('INFO');
      expect(cfg['max_filename']).toBe('00004');
      expect(cfg['max_filename_is_str']).toBe(true);
      expect(cfg['log_dir']).toBe(`${cfg['output_dir'] as string}/logs`);
      expect(cfg['model']).toBe(
        qwen ? 'torchtune.models.qwen2_5.qwen2_5_7b_instruct' : 'torchtune.models.llama3_1.llama3_1_8b',
      );
      expect(cfg['tokenizer']).toBe(
        qwen ? 'torchtune.models.qwen2_5.qwen2_5_tokenizer' : 'torchtune.models.llama3.llama3_tokenizer',
      );
      expect(cfg['merges'] === null).toBe(!qwen);
      expect(cfg['model_type']).toBe(qwen ? 'QWEN2' : 'LLAMA3');
      expect(cfg['components']).toEqual(
        [
          'torch.optim.AdamW',
          'torchtune.datasets.chat_dataset',
          'torchtune.models.llama3.llama3_tokenizer',
          'torchtune.models.llama3_1.llama3_1_8b',
          'torchtune.models.qwen2_5.qwen2_5_7b_instruct',
          'torchtune.models.qwen2_5.qwen2_5_tokenizer',
          'torchtune.modules.loss.LinearCrossEntropyLoss',
          'torchtune.training.FullModelHFCheckpointer',
          'torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup',
          'torchtune.training.metric_logging.DiskLogger',
        ].filter((x) => (qwen ? !x.includes('llama') : !x.includes('qwen'))),
      );
    });
    // 1K rows on 8 GPUs: 125 rows per rank, 125 // 16 = 7 steps per epoch, 35 in all (not 5 × ceil(1000/128) = 40)
    const k1 = loaded[cases.findIndex((c) => c.rows === 1000 && c.nodes === 1)] as Record<string, unknown>;
    expect(k1['warmup']).toBe(4);
  });

  it('the stand-in tune runs each config, and fails like torchtune on a missing key or a wrong type', () => {
    const bin = join(root, 'tune');
    writeFileSync(bin, fakeTuneScript, { mode: 0o755 });
    const c = cases.find((x) => x.student.startsWith('Qwen/') && x.rows === 1000) as Case;
    const cfgText = execFileSync('cat', [c.file]).toString();
    const modelDir = /checkpoint_dir: (.*)/.exec(cfgText)?.[1] as string;
    const dataFile = /data_files: (.*)/.exec(cfgText)?.[1] as string;
    mkdirSync(modelDir, { recursive: true });
    for (const [f, text] of Object.entries(fakeModelFiles(['vocab.json', 'merges.txt'], '00004', 28)))
      writeFileSync(join(modelDir, f), text);
    mkdirSync(join(dataFile, '..'), { recursive: true });
    writeFileSync(dataFile, '{"messages": []}\n'.repeat(3));
    const run = (file: string) =>
      spawnSync(bin, ['run', '--nnodes', '1', '--nproc_per_node', '8', 'full_finetune_distributed', '--config', file], {
        env: { ...process.env, VALLEY_FAKE_SLEEP: '0' },
      });
    const ok = run(c.file);
    expect(ok.stderr.toString()).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout.toString()).toContain('Step 5 | loss:');
    const broken = (name: string, edit: (t: string) => string) => {
      const f = join(c.dir, name);
      writeFileSync(f, edit(cfgText));
      return run(f);
    };
    const noLogLevel = broken('no-log-level.yaml', (t) => t.replace(/^log_level: .*$/m, ''));
    expect(noLogLevel.status).not.toBe(0);
    expect(noLogLevel.stderr.toString()).toMatch(/Missing key log_level/);
    const intShards = broken('int-shards.yaml', (t) => t.replace('max_filename: "00004"', 'max_filename: 00004'));
    expect(intShards.stderr.toString()).toMatch(/max_filename. must be a string/);
    const badYaml = broken('bad.yaml', (t) => t.replace(/log_dir: .*/, 'log_dir: "/x/output"/logs'));
    expect(badYaml.status).not.toBe(0);
  });
});
