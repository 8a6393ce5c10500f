import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellStatus, StudyFetch, StudyPlan, StudyStatus } from '../../shared/api';
import { clusterProfileSchema, type ClusterProfileInput, type Job } from '../../shared/api/cluster';
import { openExecutor } from '../../electron/services/cluster/connect';
import type { Executor } from '../../electron/services/cluster/executor';
import { sh } from '../../electron/services/cluster/quote';
import { tempDir, testHost } from '../helpers/workspace';
import { clusterTestEnv } from '../helpers/cluster-env';
import { removeRemote, studyClusterProfile } from '../helpers/study-cluster';

/**
 * The real `valley` CLI on CI's sshd + Slurm with the stand-in trainer and evaluator: `valley study new` (the
 * paper's design shrunk to 2 students × 1K/10K × 1 seed + baseline + a correctness ablation from the 10K cell),
 * `valley study run` SIGKILLed once Slurm has some of its jobs, run again to finish, followed with status/fetch
 * until every cell is done; a third run submits nothing; `valley study cancel` cancels a second study's jobs.
 * States are read from the CLI's JSON and from Slurm itself (scontrol over ssh as the cluster's user).
 */
const env = clusterTestEnv();
const root = resolve(__dirname, '../..');
const bin = resolve(root, 'bin/valley.cjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const onCluster: readonly CellStatus['state'][] = ['queued', 'training', 'evaluating', 'done'];

type SubmittedRun = { task: { state: string } | null; cells: string[]; submitted: { cell: string }[] };

describe.skipIf(!env)('valley study run / status / fetch / cancel on a real Slurm', () => {
  const e = env as NonNullable<typeof env>;
  let dir: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  let fast: ClusterProfileInput;
  let slow: ClusterProfileInput;
  let ex: Executor;
  const valley = (...args: string[]) =>
    spawnSync('node', [bin, ...args, '--workspace', ws], { encoding: 'utf8', cwd: root, timeout: 300_000 });
  const json = <T>(...args: string[]): T => {
    const r = valley(...args, '--json');
    expect(r.status, `valley ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  /** Slurm's own word for a job (JobState of scontrol show job). */
  const slurmState = async (remoteId: string): Promise<string> =>
    /JobState=(\S+)/.exec(await ex.run(sh`scontrol show job -o ${remoteId}`, 'scontrol'))?.[1] ?? 'missing';
  /** Slurm job ids whose working directory is under a profile's remote folder (every job Slurm knows). */
  const slurmJobsOf = async (p: ClusterProfileInput): Promise<string[]> =>
    (await ex.run(sh`scontrol show job -o`, 'scontrol'))
      .split('\n')
      .filter((l) => l.includes(`WorkDir=`) && l.includes(`/${p.remoteDir as string}/`))
      .map((l) => /JobId=(\d+)/.exec(l)?.[1] as string);
  /** A cluster profile through `valley cluster add`, as a user would type it. */
  const addCluster = (p: ClusterProfileInput) => {
    const r = valley(
      'cluster',
      'add',
      p.name,
      '--kind',
      'slurm',
      '--host',
      p.host as string,
      '--port',
      String(p.port),
      '--user',
      p.user as string,
      '--key',
      p.keyFile as string,
      '--known-hosts',
      p.knownHostsFile as string,
      '--remote-dir',
      p.remoteDir as string,
      '--partition',
      p.partition as string,
      '--cpus-per-gpu',
      '1',
      '--lcb-dir',
      p.lcbDir as string,
      '--setup',
      p.setup as string,
    );
    expect(r.status, r.stderr).toBe(0);
  };
  /** What a user edits in the new study's file: one GPU per job (the test node has 2), rows kept whatever their length. */
  const fitToTestNode = (file: string, edit: (doc: ReturnType<typeof parseDocument>) => void = () => undefined) => {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    edit(doc);
    doc.setIn(['transforms', 'overlong'], 'keep');
    doc.setIn(['trainer', 'variables'], { gpus: '1', effective_batch: '1', time: '0:10:00' });
    doc.setIn(['evaluation', 'variables'], { gpus: '1', n: '2', time: '0:10:00' });
    writeFileSync(file, doc.toString());
  };
  const jobsById = () => new Map(json<{ jobs: Job[] }>('jobs').jobs.map((j) => [j.id, j]));

  beforeAll(async () => {
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    ({ dir, cleanup } = await tempDir('valley-study-cli-'));
    ws = join(dir, 'ws');
    // enough traces for nested 1K ⊂ 10K and 1K correct / 1K incorrect
    expect(spawnSync('node', [bin, 'demo', '--workspace', ws, '--traces', '12000']).status).toBe(0);
    fast = await studyClusterProfile(e, dir, 'slurm');
    slow = await studyClusterProfile(e, dir, 'slow');
    // the second study's jobs take minutes: it is cancelled while they run
    slow.setup = (slow.setup as string).replace('VALLEY_FAKE_SLEEP=0.02', 'VALLEY_FAKE_SLEEP=60');
    addCluster(fast);
    addCluster(slow);
    ex = await openExecutor(testHost(dir), clusterProfileSchema.parse(fast));
  });
  afterAll(async () => {
    // nothing of this test stays queued on the shared Slurm
    if (ex) {
      const mine = [...(await slurmJobsOf(fast)), ...(await slurmJobsOf(slow))];
      if (mine.length) await ex.exec(sh`scancel ${mine.join(' ')}`);
      ex.close();
    }
    for (const p of [fast, slow]) if (p) await removeRemote(dir, p);
    await cleanup?.();
  });

  it(
    'runs the study, survives a SIGKILL mid-submission, finishes it, and runs it again submitting nothing',
    { timeout: 600_000 },
    async () => {
      const made = json<{ file: string; plan: StudyPlan }>(
        'study',
        'new',
        'small',
        '--sizes',
        '1K,10K',
        '--seeds',
        '0',
        '--ablations',
        'correctness',
        '--ablation-size',
        '1000',
        '--cluster',
        'slurm',
      );
      expect(made.plan.estimate).toMatchObject({ cells: 10, trainJobs: 8, evalJobs: 10, jobs: 18 });
      fitToTestNode(made.file);
      expect(readFileSync(made.file, 'utf8')).toContain('continue_from: curve-10000');
      const plan = json<StudyPlan>('study', 'plan', 'small');
      expect(plan.warnings.filter((w) => w.startsWith('tokenizers'))).toEqual([]);
      expect(plan.subsets.map((s) => [s.partition, s.sizes])).toEqual([
        [null, [1000, 10000]],
        ['correct', [1000]],
        ['incorrect', [1000]],
      ]);

      // `valley study run`, killed outright once Slurm has jobs of it and before it submitted all 18
      const child = spawn('node', [bin, 'study', 'run', 'small', '--workspace', ws, '--json'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let exit: number | null | undefined;
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<void>((r) => child.on('exit', (code) => ((exit = code), r())));
      const deadline = Date.now() + 180_000;
      while ((await slurmJobsOf(fast)).length < 2) {
        if (exit !== undefined) throw new Error(`valley study run ended (${exit}) before it was killed: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`no job reached Slurm: ${stderr}`);
        await sleep(100);
      }
      child.kill('SIGKILL');
      await exited;
      expect(exit).toBeNull();
      const atKill = await slurmJobsOf(fast);
      expect(atKill.length).toBeGreaterThanOrEqual(2);
      expect(atKill.length).toBeLessThan(18);

      // what the workspace knows after the kill: some cells on the cluster, the rest to submit
      const before = json<StudyStatus>('study', 'status', 'small', '--refresh');
      const placed = before.cells.filter((c) => onCluster.includes(c.state)).map((c) => c.id);
      expect(placed.length).toBeGreaterThanOrEqual(1);
      expect(placed.length).toBeLessThan(10);
      const jobs = jobsById();
      for (const id of placed) {
        const c = before.cells.find((x) => x.id === id) as CellStatus;
        const ev = jobs.get(c.evalJob as string);
        expect(ev?.remoteId, `${id}'s evaluation has a Slurm id`).toMatch(/^\d+$/);
        expect(
          atKill.includes(ev?.remoteId as string) || (await slurmJobsOf(fast)).includes(ev?.remoteId as string),
        ).toBe(true);
      }

      // running again submits exactly the cells that were not on the cluster
      const resumed = json<SubmittedRun>('study', 'run', 'small');
      const missing = before.cells.filter((c) => !placed.includes(c.id)).map((c) => c.id);
      expect(resumed.cells.sort()).toEqual(missing.sort());
      expect(resumed.submitted.map((s) => s.cell).sort()).toEqual(missing.sort());
      expect(resumed.task?.state).toBe('done');

      // followed with status and fetch until every cell is done
      let status: StudyStatus = before;
      const fetched: StudyFetch['fetched'] = [];
      const until = Date.now() + 420_000;
      for (;;) {
        const f = json<StudyFetch>('study', 'fetch', 'small');
        expect(f.errors).toEqual([]);
        fetched.push(...f.fetched);
        status = json<StudyStatus>('study', 'status', 'small');
        if (status.cells.every((c) => ['done', 'failed', 'cancelled'].includes(c.state))) break;
        if (Date.now() > until)
          throw new Error(`not finished: ${JSON.stringify(status.cells.map((c) => [c.id, c.state, c.detail]))}`);
        await sleep(2000);
      }
      expect(status.counts).toEqual({ done: 10 });
      // one run per cell, labelled from it (imported by `study fetch`, or by the run's own backend as chains ended)
      const { runs } = json<{ runs: { id: string; labels: Record<string, string> }[] }>('runs');
      for (const c of status.cells) {
        const run = runs.find((r) => r.id === c.runId);
        expect(run?.labels, c.id).toMatchObject({ study: 'small', cell: c.id });
      }
      expect(runs.filter((r) => r.labels['study'] === 'small')).toHaveLength(10);
      expect(fetched.every((f) => status.cells.find((c) => c.id === f.cell)?.runId === f.runId)).toBe(true);
      // the stand-in evaluator passes min(rows trained on, 10) of 10 problems: 0 untrained, 1 for ≥ 1K rows
      for (const c of status.cells) expect(c.score, c.id).toBe(c.trains ? 1 : 0);

      // Slurm agrees: every job of every cell completed, and each ablation's training depended on its base's
      const after = jobsById();
      for (const c of status.cells)
        for (const id of [c.trainJob, c.evalJob].filter((x): x is string => x !== null)) {
          const job = after.get(id);
          expect(job?.state, `${c.id} ${id}`).toBe('completed');
          expect(await slurmState(job?.remoteId as string), `${c.id} ${id}`).toBe('COMPLETED');
        }
      const ablation = status.cells.find((c) => c.id === 'correctness-correct.qwen2.5-7b-instruct.s0') as CellStatus;
      const base = status.cells.find((c) => c.id === ablation.baseCell) as CellStatus;
      expect(base.condition).toBe('curve-10000');
      expect(after.get(ablation.trainJob as string)?.labels['continued from']).toBe(base.trainJob);

      // a third run submits nothing, and Slurm gets no new job
      const slurmBefore = (await slurmJobsOf(fast)).length;
      const again = json<SubmittedRun & { skipped: unknown[] }>('study', 'run', 'small');
      expect(again).toEqual({ task: null, cells: [], skipped: [], submitted: [] });
      expect((await slurmJobsOf(fast)).length).toBe(slurmBefore);
    },
  );

  it('cancels every unfinished job of a study, and leaves another study alone', { timeout: 300_000 }, async () => {
    json('study', 'new', 'slow', '--sizes', '1K', '--ablations', '', '--cluster', 'slow');
    // training only (the stand-in evaluator takes no time): each cell's training runs for minutes, its evaluation waits
    fitToTestNode(join(ws, 'studies', 'slow.yaml'), (doc) => doc.setIn(['curve', 'baseline'], false));
    const run = json<SubmittedRun>('study', 'run', 'slow');
    expect(run.submitted.map((s) => s.cell).sort()).toEqual([
      'curve-1000.llama-3.1-8b-instruct.s0',
      'curve-1000.qwen2.5-7b-instruct.s0',
    ]);
    const live = json<StudyStatus>('study', 'status', 'slow', '--refresh');
    expect(live.cells.every((c) => ['queued', 'training', 'evaluating'].includes(c.state))).toBe(true);

    const expected = live.cells.flatMap((c) => [c.evalJob, c.trainJob].filter((x): x is string => x !== null));
    expect(expected).toHaveLength(4);
    const submitted = jobsById();
    for (const id of expected)
      expect(['PENDING', 'RUNNING']).toContain(await slurmState(submitted.get(id)?.remoteId as string));

    const r = json<{ cancelled: { cell: string; jobs: string[] }[] }>('study', 'cancel', 'slow');
    const jobs = jobsById();
    expect(r.cancelled.flatMap((c) => c.jobs).sort()).toEqual(expected.sort());
    for (const id of expected) {
      expect(jobs.get(id)?.state).toBe('cancelled');
      expect(await slurmState(jobs.get(id)?.remoteId as string)).toBe('CANCELLED');
    }
    expect((await slurmJobsOf(slow)).sort()).toEqual(expected.map((id) => jobs.get(id)?.remoteId).sort());
    expect(json<StudyStatus>('study', 'status', 'slow', '--refresh').counts).toEqual({ cancelled: 2 });
    // nothing left to cancel; the first study is untouched
    expect(json('study', 'cancel', 'slow')).toEqual({ cancelled: [] });
    expect(json<StudyStatus>('study', 'status', 'small').counts).toEqual({ done: 10 });
  });
});
