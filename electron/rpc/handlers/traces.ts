import type { Services } from '../../services/services';
import { traceCount, traceGet, tracePage, traceWindow } from '../../services/traces/query';
import { traceFacets } from '../../services/traces/facets';
import { foregroundOf } from '../../services/engine/foreground';
import type { Handlers } from '../router';

const timed = async <T extends object>(work: () => Promise<T>): Promise<T & { elapsedMs: number }> => {
  const started = performance.now();
  const value = await work();
  return { ...value, elapsedMs: Math.round((performance.now() - started) * 10) / 10 };
};

/** A click's read: a background build (the word index) gives way while it runs (engine/foreground.ts). */
const clicked = <T>(svc: Services, work: () => Promise<T>): Promise<T> => foregroundOf(svc.workspace.engine).run(work);

export const tracesHandlers = (svc: Services) =>
  ({
    'traces.page': (req) => clicked(svc, () => timed(() => tracePage(svc.workspace.engine, req))),
    'traces.window': (req) => clicked(svc, () => timed(() => traceWindow(svc.workspace.engine, req))),
    'traces.count': ({ dataset, filter }) => clicked(svc, () => traceCount(svc.workspace.engine, dataset, filter)),
    'traces.get': ({ dataset, rowId }) => clicked(svc, () => traceGet(svc.workspace.engine, dataset, rowId)),
    'traces.facets': (req) =>
      clicked(svc, () => timed(() => traceFacets(svc.workspace.engine, req.dataset, req.filter, req.facets))),
  }) satisfies Partial<Handlers>;
