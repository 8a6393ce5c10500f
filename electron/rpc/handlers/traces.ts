import type { Services } from '../../services/services';
import { traceCount, traceGet, tracePage, traceWindow } from '../../services/traces/query';
import { facetsOf } from '../../services/traces/facets';
import { traceDataset } from '../../services/traces/filter-sql';
import { searchIndexFor } from '../../services/traces/search-index';
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
      clicked(svc, () =>
        timed(async () => {
          // the dataset is looked up once for both (each lookup is a round trip to the engine: 2-15 ms)
          const engine = svc.workspace.engine;
          const d = await traceDataset(engine, req.dataset);
          const [facets, searchIndex] = await Promise.all([
            facetsOf(engine, d, req.filter, req.facets),
            searchIndexFor(engine).state(d),
          ]);
          return { ...facets, searchIndex };
        }),
      ),
  }) satisfies Partial<Handlers>;
