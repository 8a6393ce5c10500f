import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProfileSchema, submitRequestSchema } from '../../shared/api/cluster';
import { parseTorchtuneLoss } from '../../shared/domain/torchtune-log';
import { seedStudents, studentSpecSchema } from '../../shared/domain/students';
import { checkHostKey, fingerprintOf, hostFieldMatches } from '../../electron/services/cluster/known-hosts';
import { listSshConfigHosts } from '../../electron/services/cluster/ssh-config';
import { endpointFor } from '../../electron/services/cluster/profiles';
import { sh, shQuote } from '../../electron/services/cluster/quote';
import { renderTemplate } from '../../electron/services/cluster/templates';
import { defaultTemplates } from '../../electron/services/cluster/template-defaults';
import { planSubmission } from '../../electron/services/cluster/plan';
import { parseScontrol, slurmDuration } from '../../electron/services/cluster/sched-slurm';
import { tempDir } from '../helpers/workspace';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('valley-cluster-pure-')));
afterAll(async () => cleanup());

describe('shell quoting', () => {
  it('round-trips hostile strings through a real /bin/sh as one argument', () => {
    for (const s of [
      "x'; rm -rf ~ #",
      '$(touch /tmp/pwned)',
      '`id`',
      'a b\tc\nd',
      "''",
      '',
      '\\',
      '"; echo hi; "',
      '~/*',
    ]) {
      const out = execFileSync('/bin/sh', ['-c', `printf '%s|' ${shQuote(s)} | od -An -c`]).toString();
      const expected = execFileSync('/bin/sh', ['-c', 'printf "%s|" "$1" | od -An -c', 'sh', s]).toString();
      expect(out).toBe(expected);
    }
    expect(sh`ls ${"x'; rm -rf ~ #"} ${['a b', 'c']}`).toBe(`ls 'x'\\''; rm -rf ~ #' 'a b' 'c'`);
  });
});

describe('known_hosts', () => {
  it('matches plain, wildcard, negated and hashed host names, and tells changed keys from unknown ones', async () => {
    const keyFile = join(dir, 'hk');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const [type, b64] = execFileSync('cat', [`${keyFile}.pub`])
      .toString()
      .split(' ');
    const blob = Buffer.from(b64 as string, 'base64');
    const kh = join(dir, 'known_hosts');
    writeFileSync(kh, `# comment\n[gpu.example.org]:2222 ${type} ${b64}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    expect(await checkHostKey(kh, 'gpu.example.org', 2222, blob)).toMatchObject({ status: 'match' });
    expect(await checkHostKey(kh, 'gpu.example.org', 22, blob)).toMatchObject({ status: 'unknown' });
    const other = join(dir, 'hk2');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherBlob = Buffer.from(
      execFileSync('cat', [`${other}.pub`])
        .toString()
        .split(' ')[1] as string,
      'base64',
    );
    const changed = await checkHostKey(kh, 'gpu.example.org', 2222, otherBlob);
    expect(changed).toMatchObject({
      status: 'changed',
      expected: fingerprintOf(blob),
      fingerprint: fingerprintOf(otherBlob),
    });
    expect(fingerprintOf(blob)).toBe(
      execFileSync('ssh-keygen', ['-lf', `${keyFile}.pub`])
        .toString()
        .split(' ')[1],
    );
    expect(hostFieldMatches('*.example.org,!bad.example.org', 'gpu.example.org')).toBe(true);
    expect(hostFieldMatches('*.example.org,!bad.example.org', 'bad.example.org')).toBe(false);
    expect(hostFieldMatches('[h]:2222', '[h]:2222')).toBe(true);
  });
});

describe('~/.ssh/config', () => {
  it('offers aliases with HostName, Port, User, IdentityFile and ProxyJump honoured', () => {
    const cfg = join(dir, 'ssh_config');
    writeFileSync(
      cfg,
      [
        'Host login',
        '  HostName login.cluster.edu',
        '  Port 2200',
        '  User alice',
        '  IdentityFile ~/.ssh/id_cluster',
        '  ProxyJump bob@bastion.edu:2022',
        '',
        'Host *',
        '  User fallback',
        '',
      ].join('\n'),
    );
    process.env['VALLEY_SSH_CONFIG'] = cfg;
    try {
      const hosts = listSshConfigHosts();
      expect(hosts.map((h) => h.alias)).toEqual(['login']);
      expect(hosts[0]).toMatchObject({
        hostName: 'login.cluster.edu',
        port: 2200,
        user: 'alice',
        proxyJump: 'bob@bastion.edu:2022',
      });
      expect(hosts[0]?.identityFile).toMatch(/\.ssh\/id_cluster$/);
      const p = clusterProfileSchema.parse({ name: 'c', kind: 'slurm', host: 'login', auth: 'key' });
      const ep = endpointFor(p, '/tmp/kh');
      expect(ep).toMatchObject({ host: 'login.cluster.edu', port: 2200, user: 'alice', auth: 'key' });
      expect(ep.jump).toMatchObject({ host: 'bastion.edu', port: 2022, user: 'bob' });
    } finally {
      delete process.env['VALLEY_SSH_CONFIG'];
    }
  });
});

describe('torchtune logs', () => {
  it('parses metric-logger lines, last value per step, and falls back to the progress bar', () => {
    const log =
      'noise\nStep 1 | loss:2.5 lr:8e-05 tokens_per_second_per_gpu:10\nStep 2 | loss:1.25 lr:7.9e-05\nStep 2 | loss:1.2 lr:7.9e-05\n';
    expect(parseTorchtuneLoss(log)).toEqual([
      { step: 1, epoch: null, loss: 2.5, lr: 8e-5 },
      { step: 2, epoch: null, loss: 1.2, lr: 7.9e-5 },
    ]);
    expect(parseTorchtuneLoss('1|1|Loss: 2.0:  10%|\r1|2|Loss: 1.5:  20%|')).toEqual([
      { step: 1, epoch: 1, loss: 2, lr: null },
      { step: 2, epoch: 1, loss: 1.5, lr: null },
    ]);
  });
});

describe('templates and sweeps', () => {
  it('names the file and line of an unknown variable', () => {
    expect(() => renderTemplate('run.sh', 'a\nb {{nope}}\n', {})).toThrow('run.sh, line 2: unknown variable {{nope}}');
  });

  it('takes a student’s model_type from torchtune’s ModelType names, not a reward head or a text encoder', () => {
    const qwen = seedStudents[0];
    expect(studentSpecSchema.safeParse({ ...qwen, modelType: 'MISTRAL' }).success).toBe(true);
    for (const modelType of ['REWARD', 'CLIP_TEXT', 'T5_ENCODER', 'QWEN3', 'qwen2']) {
      const parsed = studentSpecSchema.safeParse({ ...qwen, modelType });
      expect(parsed.success, modelType).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['modelType']);
    }
  });

  it('plans subsets × students × seeds with the seed study’s batch arithmetic', () => {
    const profile = clusterProfileSchema.parse({
      name: 's',
      kind: 'slurm',
      host: 'h',
      partition: 'gpu',
      account: 'lab',
      qos: 'high',
    });
    const t = defaultTemplates['torchtune-full'] as NonNullable<(typeof defaultTemplates)['torchtune-full']>;
    const template = {
      name: 'torchtune-full',
      description: '',
      variables: { ...t.variables },
      files: Object.entries(t.files).map(([name, text]) => ({ name, path: name, text })),
    };
    const req = submitRequestSchema.parse({
      cluster: 's',
      template: 'torchtune-full',
      students: ['Qwen/Qwen2.5-7B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'],
      seeds: [0, 1, 2],
    });
    const data = [1000, 2000].map((n) => ({
      subset: 'ocr2',
      size: n,
      rows: n,
      local: `/x/ocr2-${n}.jsonl`,
      sha256: null,
      manifest: '/x/manifest.json',
      dataset: 'ocr2',
      partition: null,
      subsetSeed: 0,
      manifestSha256: null,
    }));
    const plan = planSubmission(req, profile, template, '/home/u/valley', data);
    expect(plan.jobs).toHaveLength(12);
    const cfg = plan.jobs[0]?.files.find((f) => f.name === 'config.yaml')?.text ?? '';
    expect(cfg).toContain('gradient_accumulation_steps: 16');
    expect(cfg).toContain('batch_size: 1');
    expect(cfg).toContain('epochs: 5');
    expect(cfg).toContain('max_seq_len: 32768');
    expect(cfg).toContain('num_warmup_steps: 4'); // the recipe's count: 5 × (ceil(1000/8) // 16) = 35 steps, 10 % rounded up
    expect(cfg).toContain('data_files: /home/u/valley/data/ocr2/ocr2-1000.jsonl');
    expect(cfg).toContain('max_filename: "00004"');
    expect(cfg).toContain('log_level: INFO');
    expect(cfg).toContain('_component_: torchtune.training.FullModelHFCheckpointer');
    expect(cfg).toContain('_component_: torchtune.training.metric_logging.DiskLogger');
    const sbatch = plan.jobs[0]?.files.find((f) => f.name === 'submit.sbatch')?.text ?? '';
    for (const line of [
      "--partition='gpu'",
      "--account='lab'",
      "--qos='high'",
      "--gres='gpu:8'",
      "--nodes='1'",
      "--time='2-00:00:00'",
      "--cpus-per-task='64'",
      "--mem-per-gpu='64G'",
    ]) {
      expect(sbatch).toContain(`#SBATCH ${line}`);
    }
    expect(plan.jobs[0]?.files.find((f) => f.name === 'run.sh')?.text).toContain(
      'tune run --nnodes 1 --nproc_per_node 8  full_finetune_distributed --config config.yaml',
    );
    expect(plan.jobs[3]?.files.find((f) => f.name === 'config.yaml')?.text).toContain('model_type: LLAMA3');
    expect(() => planSubmission({ ...req, variables: { gpus: '3' } }, profile, template, '/b', data)).toThrow(
      /not a multiple/,
    );
  });
});

describe('Slurm output', () => {
  it('reads scontrol lines and durations', () => {
    const f = parseScontrol(
      'JobId=7 ArrayJobId=7 ArrayTaskId=1 JobName=valley JobState=COMPLETED Reason=None ExitCode=0:0 RunTime=1-02:03:04 NodeList=gpu01',
    );
    expect(f).toMatchObject({ JobState: 'COMPLETED', ExitCode: '0:0', NodeList: 'gpu01' });
    expect(slurmDuration(f['RunTime'])).toBe(93784);
    expect(slurmDuration('05:06')).toBe(306);
  });
});
