import { describe, expect, it } from 'vitest';
import { methods, events } from '../../shared/api';
import { systemMethods } from '../../shared/api/system';
import { taskMethods } from '../../shared/api/tasks';
import { dataMethods } from '../../shared/api/data';
import { runsMethods } from '../../shared/api/runs';
import { importsMethods } from '../../shared/api/imports';
import { resultsMethods } from '../../shared/api/results';
import { analysisMethods } from '../../shared/api/analysis';
import { tracesMethods } from '../../shared/api/traces';
import { curateMethods } from '../../shared/api/curate';
import { clusterMethods } from '../../shared/api/cluster';
import { studyMethods } from '../../shared/api/study';
import { workspaceMethods } from '../../shared/api/workspace';

describe('the API contract', () => {
  it('no feature silently overrides another feature’s method', () => {
    const tables = [
      systemMethods,
      taskMethods,
      dataMethods,
      runsMethods,
      importsMethods,
      resultsMethods,
      analysisMethods,
      tracesMethods,
      curateMethods,
      clusterMethods,
      studyMethods,
      workspaceMethods,
    ];
    const names = tables.flatMap((t) => Object.keys(t));
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    expect(dupes).toEqual([]);
    expect(Object.keys(methods).sort()).toEqual([...names].sort());
  });

  it('names every method feature.verb and gives each a summary', () => {
    for (const [name, def] of Object.entries(methods)) {
      expect(name).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
      expect(def.summary.length).toBeGreaterThan(5);
    }
    for (const name of Object.keys(events)) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });
});
