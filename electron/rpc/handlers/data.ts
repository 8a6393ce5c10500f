import type { Services } from '../../services/services';
import { listDatasets } from '../../services/data/registry';
import { listRuns } from '../../services/runs/store';
import type { Handlers } from '../router';

export const dataHandlers = (svc: Services) =>
  ({
    'data.datasets': async () => ({ datasets: await listDatasets(svc.workspace.engine) }),
  }) satisfies Partial<Handlers>;

export const runsHandlers = (svc: Services) =>
  ({
    'runs.list': async () => ({ runs: await listRuns(svc.workspace.engine) }),
  }) satisfies Partial<Handlers>;
