import { openWorkspace, type Workspace } from '../workspace/workspace';
import { createDemoTraces } from './traces';
import { createDemoRuns } from './runs';

/** Create the built-in demo workspace in `dir` (which must not be a workspace yet) and return it open. */
export const createDemoWorkspace = async (dir: string, traces = 20_000): Promise<Workspace> => {
  const ws = await openWorkspace(dir, { create: true });
  try {
    await ws.engine.transaction(async (s) => {
      await createDemoTraces(s, traces);
      await createDemoRuns(s);
    });
    await ws.markDemo();
    await ws.engine.run('CHECKPOINT');
    return ws;
  } catch (error) {
    await ws.close();
    throw error;
  }
};
