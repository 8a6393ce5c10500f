import { existsSync, readdirSync } from 'node:fs';
import { ValleyError } from '../../../shared/api';
import { openWorkspace, type Workspace } from '../workspace/workspace';
import { createDemoTraces } from './traces';
import { createDemoRuns } from './runs';
import { createDemoBenchmark } from './benchmark';

/** Create the built-in demo workspace in `dir` (which must not be a workspace yet) and return it open. */
export const createDemoWorkspace = async (dir: string, traces = 20_000): Promise<Workspace> => {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ValleyError('conflict', `${dir} is not empty; the demo workspace needs an empty or new folder`, {
      file: dir,
    });
  }
  const ws = await openWorkspace(dir, { create: true });
  try {
    await ws.engine.transaction(async (s) => {
      await createDemoTraces(s, traces);
      await createDemoRuns(s);
      await createDemoBenchmark(s);
    });
    await ws.markDemo();
    await ws.engine.run('CHECKPOINT');
    return ws;
  } catch (error) {
    await ws.close();
    throw error;
  }
};
