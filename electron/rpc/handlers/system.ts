import { platform, arch } from 'node:os';
import type { Services } from '../../services/services';
import { readOnlyQuery } from '../../services/system/sql';
import type { Handlers } from '../router';

export const systemHandlers = (svc: Services) =>
  ({
    'system.info': async () => ({
      version: svc.version,
      duckdbVersion: svc.workspace.engine.version,
      platform: `${platform()}-${arch()}`,
      host: svc.host.kind,
      workspace: svc.workspace.info(),
    }),
    'sql.query': async ({ sql, limit, allowFiles }) => readOnlyQuery(svc.workspace.engine, sql, limit, { allowFiles }),
    'tasks.list': async () => ({ tasks: svc.tasks.list() }),
    'tasks.cancel': async ({ id }) => ({ cancelled: svc.tasks.cancel(id) }),
  }) satisfies Partial<Handlers>;
