import type { Services } from '../../services/services';
import { startTask } from '../../services/tasks/task-manager';
import { dropDataset, runImport } from '../../services/data/import/import';
import { previewSource } from '../../services/data/import/preview';
import { questionSources } from '../../services/data/import/question-sources';
import { importResults } from '../../services/runs/results/import-results';
import { deleteRun, runCurve, updateRun } from '../../services/runs/results/edit';
import type { Handlers } from '../router';

/** Dataset import (issue 3): preview, import as a task, drop. */
export const importsHandlers = (svc: Services) =>
  ({
    'data.preview': async ({ paths, preset, rows, skipBadLines }) =>
      previewSource(svc.workspace.engine, paths, preset, rows, { skipBadLines }),
    'data.import': async (req) =>
      startTask(
        svc.tasks,
        'import',
        `Import ${req.name ?? req.paths[0] ?? ''}`,
        (ctx) => runImport(svc, req, ctx),
        req.wait,
      ),
    'data.questionSources': async ({ dataset }) => ({ sources: await questionSources(svc.workspace.engine, dataset) }),
    'data.drop': async ({ name }) => ({ dropped: await dropDataset(svc, name) }),
    'data.pickPaths': async ({ directory, title }) => {
      const pick = svc.host.pickPaths;
      if (!pick) return { available: false, paths: [] };
      const filters = directory
        ? undefined
        : [{ name: 'Data files', extensions: ['jsonl', 'json', 'gz', 'zst', 'parquet', 'csv', 'tsv'] }];
      return { available: true, paths: (await pick({ title, directory, multiple: true, filters })) ?? [] };
    },
  }) satisfies Partial<Handlers>;

/** Results import and run edits (issue 3). */
export const resultsHandlers = (svc: Services) =>
  ({
    'results.import': async (req) =>
      startTask(
        svc.tasks,
        'results',
        `Import results (${req.paths.length} file${req.paths.length === 1 ? '' : 's'})`,
        (ctx) => importResults(svc, req, ctx),
        req.wait,
      ),
    'runs.update': async ({ id, name, labels }) => {
      const run = await updateRun(svc.workspace.engine, id, { name, labels });
      svc.bus.emit('workspace.changed', { what: 'runs' });
      return { run };
    },
    'runs.curve': async ({ id, metric }) => ({ points: await runCurve(svc.workspace.engine, id, metric) }),
    'runs.delete': async ({ id }) => {
      const deleted = await deleteRun(svc.workspace.engine, id);
      if (deleted) svc.bus.emit('workspace.changed', { what: 'runs' });
      return { deleted };
    },
  }) satisfies Partial<Handlers>;
