import type { Services } from '../../services/services';
import { listDatasets } from '../../services/data/registry';
import { listRuns } from '../../services/runs/store';
import { problemAcrossRuns, runProblems } from '../../services/runs/problems';
import type { Handlers } from '../router';

export const dataHandlers = (svc: Services) =>
  ({
    'data.datasets': async () => ({ datasets: await listDatasets(svc.workspace.engine) }),
  }) satisfies Partial<Handlers>;

export const runsHandlers = (svc: Services) =>
  ({
    'runs.list': async () => ({ runs: await listRuns(svc.workspace.engine) }),
    'runs.problems': async ({ id }) => runProblems(svc.workspace.engine, id),
    'runs.problem': async ({ questionId, runIds, only }) =>
      problemAcrossRuns(svc.workspace.engine, questionId, runIds, only),
  }) satisfies Partial<Handlers>;
