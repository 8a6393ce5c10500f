import type { Services } from '../../services/services';
import { traceCount, traceGet, tracePage, traceWindow } from '../../services/traces/query';
import { traceFacets } from '../../services/traces/facets';
import { searchIndexState } from '../../services/traces/search-index';
import type { Handlers } from '../router';

const timed = async <T extends object>(work: () => Promise<T>): Promise<T & { elapsedMs: number }> => {
  const started = performance.now();
  const value = await work();
  return { ...value, elapsedMs: Math.round((performance.now() - started) * 10) / 10 };
};

export const tracesHandlers = (svc: Services) =>
  ({
    'traces.page': (req) => timed(() => tracePage(svc.workspace.engine, req)),
    'traces.window': (req) => timed(() => traceWindow(svc.workspace.engine, req)),
    'traces.count': async ({ dataset, filter }) => traceCount(svc.workspace.engine, dataset, filter),
    'traces.get': async ({ dataset, rowId }) => traceGet(svc.workspace.engine, dataset, rowId),
    'traces.facets': (req) =>
      timed(async () => ({
        ...(await traceFacets(svc.workspace.engine, req.dataset, req.filter, req.facets)),
        searchIndex: await searchIndexState(svc.workspace.engine, req.dataset),
      })),
  }) satisfies Partial<Handlers>;
