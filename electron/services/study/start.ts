import type { ResponseOf } from '../../../shared/api';
import type { Study } from '../../../shared/domain/study';
import type { Services } from '../services';
import { refreshJobs } from '../cluster/monitor';
import { runStudy, selectCells } from './run';
import { studyWatcher } from './watch';

/**
 * `study.run`: reconcile the jobs first (a job that finished or was lost while Valley was away counts), choose
 * the cells to submit, and submit them as a task; the watcher looks at once when the task ends.
 */
export const startStudyRun = async (
  svc: Services,
  study: Study,
  wait: boolean,
  passphrase?: string,
): Promise<ResponseOf<'study.run'>> => {
  await refreshJobs(svc, passphrase);
  const selection = await selectCells(svc, study);
  const cells = selection.cells.map((c) => c.id);
  if (cells.length === 0) return { task: null, cells, skipped: selection.skipped, submitted: [] };
  const { task, done } = svc.tasks.start('study.run', `Run study ${study.name} (${cells.length} cells)`, (ctx) =>
    runStudy(svc, study, selection, ctx, passphrase),
  );
  void done.then(
    () => studyWatcher(svc)?.kick(),
    () => undefined,
  );
  if (!wait) return { task, cells, skipped: selection.skipped, submitted: [] };
  const submitted = await done;
  return { task: svc.tasks.list().find((t) => t.id === task.id) ?? task, cells, skipped: selection.skipped, submitted };
};
