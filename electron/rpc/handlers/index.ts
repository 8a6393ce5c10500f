import type { Services } from '../../services/services';
import type { Handlers } from '../router';
import { systemHandlers } from './system';
import { dataHandlers, runsHandlers } from './data';
import { importsHandlers, resultsHandlers } from './imports';
import { analysisHandlers } from './analysis';
import { tracesHandlers } from './traces';
import { curateHandlers } from './curate';
import { clusterHandlers } from './cluster';
import { studyHandlers } from './study';
import { workspaceHandlers } from './workspace';

/** Every method of the contract, bound to the services. The type makes a missing handler a compile error. */
export const createHandlers = (svc: Services): Handlers => ({
  ...systemHandlers(svc),
  ...dataHandlers(svc),
  ...runsHandlers(svc),
  ...importsHandlers(svc),
  ...resultsHandlers(svc),
  ...analysisHandlers(svc),
  ...tracesHandlers(svc),
  ...curateHandlers(svc),
  ...clusterHandlers(svc),
  ...studyHandlers(svc),
  ...workspaceHandlers(svc),
});
