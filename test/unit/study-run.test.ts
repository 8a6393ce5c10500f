import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterProfileInput } from '../../shared/api/cluster';
import { ValleyError, type MethodName, type RequestOf, type ResponseOf, type StudyStatus } from '../../shared/api';
import { bootBackend, type Backend } from '../../electron/rpc/boot';
import { startTestBackend, testHost, type TestBackend } from '../helpers/workspace';
import { clusterTestEnv } from '../helpers/cluster-env';
import { removeRemote, smallStudy, studyClusterProfile } from '../helpers/study-cluster';

/**
 * `study.run` on CI's real sshd + Slurm with the stand-in trainer and evaluator: the small study
 * (2 students × 2 sizes × 1 seed + baseline + a correctness ablation from the larger cell). The backend is
 * stopped mid-submission and started again on the same workspace; running again submits only what is missing,
 * the study finishes, fetching makes one labelled run per cell, and a third run submits nothing.
 */
const env = clusterTestEnv();

type Call = <M extends MethodName>(method: M, request: RequestOf<M>) => Promise<ResponseOf<M>>;
const caller =
  (backend: Backend): Call =>
  async (method, request) => {
    const result = await backend.router.handle(method, request, { transport: 'test' });
    if (!result.ok) throw ValleyError.from(result.error);
    return result.value as never;
  };

describe.skipIf(!env)('a study on a real Slurm', () => {
  const e = env as NonNullable<typeof env>;
  let t: TestBackend;
  let second: Backend | null = null;
  let profile: ClusterProfileInput;
  const appDir = () => join(t.dir, '..');

  beforeAll(async () => {
    // the first backend does not follow the study by itself: every chain is imported by the restarted one
    process.env['VALLEY_STUDY_POLL_MS'] = String(3_600_000);
    t = await startTestBackend({ demo: true, demoTraces: 300 });
    delete process.env['VALLEY_STUDY_POLL_MS'];
    profile = await studyClusterProfile(e, appDir());
    await t.call('cluster.save', { profile });
  });
  afterAll(async () => {
    await removeRemote(appDir(), profile);
    await second?.close();
    await t?.close();
  });

  it(
    'runs, survives a backend restart mid-study, fetches labelled runs, and submits nothing the second time',
    { timeout: 240_000 },
    async () => {
      const { datasets } = await t.call('data.datasets', {});
      const dataset = datasets.find((d) => d.kind === 'traces')?.name as string;
      const saved = await t.call('study.save', { study: smallStudy(dataset, 'slurm', 1) });
      expect(saved.partitionsCreated.sort()).toEqual(['correct', 'incorrect']);
      const plan = await t.call('study.plan', { name: 'small' });
      expect(plan.estimate).toMatchObject({ cells: 10, trainJobs: 8, evalJobs: 10, jobs: 18 });
      // two curve sizes share one subset and one export per student-free recipe
      expect(plan.subsets.map((s) => [s.partition, s.sizes])).toEqual([
        [null, [2, 4]],
        ['correct', [3]],
        ['incorrect', [3]],
      ]);

      // start, and stop the backend after three cells are on the cluster (cancelling the run as a quit would)
      const started = await t.call('study.run', { name: 'small' });
      expect(started.cells).toHaveLength(10);
      expect(started.cells.slice(-4).every((c) => c.startsWith('correctness-'))).toBe(true);
      const svc = t.backend.services;
      for (let i = 0; ; i++) {
        const s = await t.call('study.status', { name: 'small' });
        if (s.cells.filter((c) => c.evalJob).length >= 3) break;
        if (i > 600) throw new Error('no cell was submitted');
        await new Promise((r) => setTimeout(r, 100));
      }
      svc.tasks.cancel(started.task?.id as string);
      while (svc.tasks.list().find((x) => x.id === started.task?.id)?.state === 'running')
        await new Promise((r) => setTimeout(r, 100));
      const before = await t.call('study.status', { name: 'small' });
      const onCluster = before.cells.filter((c) => c.evalJob).map((c) => c.id);
      expect(onCluster.length).toBeGreaterThanOrEqual(3);
      expect(onCluster.length).toBeLessThan(10);
      await t.backend.close();

      const notes: { title: string; body: string }[] = [];
      const host = { ...testHost(appDir()), notify: (title: string, body: string) => void notes.push({ title, body }) };
      // the restarted backend follows the study by itself: jobs reconciled and finished chains imported every 0.5 s
      second = await bootBackend({ host, version: 'test', workspaceDir: t.dir, ifMissing: 'refuse', studyPollMs: 500 });
      const call = caller(second);
      const resumed = await call('study.run', { name: 'small', wait: true });
      expect(resumed.cells.sort()).toEqual(
        before.cells
          .map((c) => c.id)
          .filter((id) => !onCluster.includes(id))
          .sort(),
      );
      // the ablation trains after its base cell's training (afterok) and from its final checkpoint
      const sub =
        resumed.submitted.find((c) => c.cell === 'correctness-correct.qwen2.5-7b-instruct.s0') ??
        (await call('study.status', { name: 'small' })).cells.find(
          (c) => c.id === 'correctness-correct.qwen2.5-7b-instruct.s0',
        );
      expect(sub?.trainJob).toBeTruthy();
      const { jobs } = await call('cluster.jobs', {});
      const ablation = jobs.find((j) => j.id === sub?.trainJob);
      const baseTrain = jobs.find(
        (j) => j.labels['cell'] === 'curve-4.qwen2.5-7b-instruct.s0' && !j.labels['trained by'],
      );
      expect(ablation?.labels['continued from']).toBe(baseTrain?.id);
      expect(ablation?.labels['base checkpoint']).toBe(baseTrain?.labels['checkpoint']);

      let status: StudyStatus;
      const deadline = Date.now() + 240_000;
      for (;;) {
        status = await call('study.status', { name: 'small' });
        const open = status.cells.filter((c) => !['done', 'failed', 'cancelled'].includes(c.state));
        if (open.length === 0) break;
        if (Date.now() > deadline)
          throw new Error(`study did not finish: ${JSON.stringify(open.map((c) => [c.id, c.state, c.detail]))}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(status.counts).toEqual({ done: 10 });
      // imported as they ended: nothing is left to fetch, and one notification per finished condition
      expect(await call('study.fetch', { name: 'small' })).toEqual({ fetched: [], running: [], errors: [] });
      expect(
        notes
          .map((n) => n.title)
          .filter((x) => x.startsWith('Study '))
          .sort(),
      ).toEqual(
        ['2', '4', 'baseline', 'correctness: correct 3', 'correctness: incorrect 3']
          .map((l) => `Study small: ${l} done`)
          .sort(),
      );
      expect(notes.find((n) => n.title === 'Study small: 4 done')?.body).toBe(
        'pass@1 Qwen2.5-7B-Instruct 0.400 · Llama-3.1-8B-Instruct 0.400',
      );
      const score = (id: string) => status.cells.find((c) => c.id === id)?.score;
      // the stand-in evaluator passes one problem in ten per row the weights were trained on
      for (const key of ['qwen2.5-7b-instruct', 'llama-3.1-8b-instruct']) {
        expect([score(`baseline.${key}.s0`), score(`curve-2.${key}.s0`), score(`curve-4.${key}.s0`)]).toEqual([
          0, 0.2, 0.4,
        ]);
        // 4 rows of the base checkpoint + 3 more: the ablation really continued from the 4-row cell
        expect(score(`correctness-correct.${key}.s0`)).toBeCloseTo(0.7, 10);
        expect(score(`correctness-incorrect.${key}.s0`)).toBeCloseTo(0.7, 10);
      }
      const { runs } = await call('runs.list', {});
      const run = runs.find((r) => r.labels['cell'] === 'correctness-incorrect.llama-3.1-8b-instruct.s0');
      expect(run).toMatchObject({
        student: 'meta-llama/Llama-3.1-8B-Instruct',
        size: 3,
        seed: 0,
        partition: 'incorrect',
      });
      expect(run?.labels).toMatchObject({
        study: 'small',
        condition: 'correctness-incorrect',
        'condition label': 'correctness: incorrect 3',
        'base cell': 'curve-4.llama-3.1-8b-instruct.s0',
      });
      expect(run?.labels['manifest sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(runs.filter((r) => r.labels['study'] === 'small')).toHaveLength(10);

      // a cell's provenance: its chain, the manifest it trained on (its hash is the run's label), its run
      const cell = await call('study.cell', { name: 'small', cell: 'correctness-incorrect.llama-3.1-8b-instruct.s0' });
      expect(cell.jobs.map((j) => j.labels['template'])).toEqual(['torchtune-full', 'lcb-eval']);
      expect(cell.manifestSha256).toBe(run?.labels['manifest sha256']);
      expect(cell.manifest?.recipe.spec.partition).toBe('incorrect');
      expect(cell.manifest?.files.map((f) => [f.path, f.rows])).toEqual([['train-3.jsonl', 3]]);
      expect(cell.run?.id).toBe(run?.id);

      // the study on the Analysis fit: one curve per student with the study's own baseline, and its ablation bars
      const { series } = await call('analysis.series', { study: 'small' });
      expect(
        series.map((s) => [s.student, s.partition, s.points.map((p) => [p.size, p.value]), s.baseline?.value]),
      ).toEqual([
        [
          'meta-llama/Llama-3.1-8B-Instruct',
          'all',
          [
            [2, 0.2],
            [4, 0.4],
          ],
          0,
        ],
        [
          'Qwen/Qwen2.5-7B-Instruct',
          'all',
          [
            [2, 0.2],
            [4, 0.4],
          ],
          0,
        ],
      ]);
      const { groups } = await call('analysis.ablations', { study: 'small' });
      expect(
        groups.map((g) => [
          g.student,
          g.referenceLabel,
          g.bars.map((b) => [b.label, b.reference, Number(b.value.toFixed(6))]),
        ]),
      ).toEqual(
        ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-7B-Instruct'].map((s) => [
          s,
          'correctness vs 4',
          [
            ['correctness: correct 3 s0', 0.4, 0.7],
            ['correctness: incorrect 3 s0', 0.4, 0.7],
          ],
        ]),
      );

      // each export went up once: one remote file per export recipe and size
      const uploads = await second.services.workspace.engine.all(
        "SELECT count(*)::INT AS n, count(DISTINCT remote_path)::INT AS paths FROM valley_study_uploads WHERE cluster = 'slurm'",
      );
      expect(uploads[0]).toEqual({ n: 4, paths: 4 });

      const again = await call('study.run', { name: 'small', wait: true });
      expect([again.cells, again.submitted, again.task]).toEqual([[], [], null]);
    },
  );
});
