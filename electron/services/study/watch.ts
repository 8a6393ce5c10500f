import type { CellStatus } from '../../../shared/api';
import type { Study } from '../../../shared/domain/study';
import type { Services } from '../services';
import { refreshJobs } from '../cluster/monitor';
import { listStudies, readStudy } from './files';
import { fetchStudy } from './run';
import { studyStatus } from './state';
import { notify } from '../notify';

/** States of a cell whose chain is on the cluster and not imported yet. */
const live: readonly CellStatus['state'][] = ['queued', 'training', 'evaluating'];

export interface StudyWatcher {
  /** Look now (after a study was run), instead of at the next tick. */
  kick(): void;
  /** Stop, once the look in progress (if any) has finished. */
  stop(): Promise<void>;
}

const watchers = new WeakMap<Services, StudyWatcher>();

const fmt = (v: number | null): string => (v === null ? '–' : v.toFixed(3));

/** One notification per condition whose last cell was just imported: its score per student (mean over seeds). */
const notifyFinished = (
  svc: Services,
  study: Study,
  cells: CellStatus[],
  fetched: Set<string>,
  labels: Map<string, string>,
): void => {
  const conditions = new Set(cells.filter((c) => fetched.has(c.id)).map((c) => c.condition));
  for (const condition of conditions) {
    const mine = cells.filter((c) => c.condition === condition);
    if (!mine.every((c) => c.state === 'done')) continue;
    const byStudent = new Map<string, number[]>();
    for (const c of mine)
      if (c.score !== null) byStudent.set(c.student, [...(byStudent.get(c.student) ?? []), c.score]);
    const scores = [...byStudent].map(
      ([s, v]) => `${s.split('/').pop() ?? s} ${fmt(v.reduce((a, b) => a + b, 0) / v.length)}`,
    );
    notify(svc, {
      kind: 'success',
      title: `Study ${study.name}: ${labels.get(condition) ?? condition} done`,
      body: scores.length ? `pass@1 ${scores.join(' · ')}` : `${mine.length} run(s) imported`,
      source: 'study',
      subject: study.name,
    });
  }
};

/**
 * While a study has chains on the cluster, the backend follows them: every tick it reconciles the jobs (one
 * connection per cluster), imports each finished chain as a run labelled from its cell, tells the renderer
 * (workspace.changed: runs, studies), and notifies once per condition that is complete. Nothing lives only in
 * memory: a backend started again finds the same cells open and goes on.
 */
export const watchStudies = (svc: Services, intervalMs: number): StudyWatcher => {
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;
  const tick = (): Promise<void> => {
    if (current || stopped) return current ?? Promise.resolve();
    current = look().finally(() => {
      current = null;
    });
    return current;
  };
  const look = async (): Promise<void> => {
    try {
      const open: { study: Study; status: Awaited<ReturnType<typeof studyStatus>> }[] = [];
      for (const s of await listStudies(svc.workspace)) {
        if (s.error || stopped) continue;
        const { study } = await readStudy(svc.workspace, s.name);
        const status = await studyStatus(svc.workspace, study);
        if (status.cells.some((c) => live.includes(c.state))) open.push({ study, status });
      }
      if (open.length === 0 || stopped) return;
      await refreshJobs(svc);
      for (const { study, status } of open) {
        if (stopped) return;
        const r = await fetchStudy(svc, study, undefined, false);
        if (r.fetched.length === 0) continue;
        const after = await studyStatus(svc.workspace, study);
        notifyFinished(
          svc,
          study,
          after.cells,
          new Set(r.fetched.map((f) => f.cell)),
          new Map(status.conditions.map((c) => [c.id, c.label])),
        );
      }
    } catch {
      // a study file being edited, a cluster out of reach: the next tick tries again
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().finally(schedule), intervalMs);
    timer.unref();
  };
  schedule();
  const watcher: StudyWatcher = {
    kick: () => void tick(),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
  watchers.set(svc, watcher);
  return watcher;
};

/** The backend's watcher (started at boot), if any. */
export const studyWatcher = (svc: Services): StudyWatcher | null => watchers.get(svc) ?? null;
