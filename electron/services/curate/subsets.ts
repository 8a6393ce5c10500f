import { ValleyError, subsetSpecSchema, type Subset, type SubsetPlan, type SubsetSpec } from '../../../shared/api';
import type { Engine } from '../engine/engine';
import { foregroundOf } from '../engine/foreground';
import { planSubset } from './plan';
import { recordEdit, type SubsetRow } from './history';

const subsetRow = async (engine: Engine, name: string): Promise<SubsetRow | null> => {
  const rows = await engine.all(
    `SELECT spec, plan, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%g') AS c FROM valley_subsets WHERE name = $name`,
    { name },
  );
  const r = rows[0];
  return r ? { spec: String(r['spec']), plan: String(r['plan']), createdAt: String(r['c']) } : null;
};

/** Save a recipe (after checking every size is available); undoable like every curation edit. */
export const saveSubset = (engine: Engine, name: string, spec: SubsetSpec, replace: boolean): Promise<Subset> =>
  foregroundOf(engine).run(() => writeSubset(engine, name, spec, replace)); // background index builds give way

const writeSubset = async (engine: Engine, name: string, spec: SubsetSpec, replace: boolean): Promise<Subset> => {
  // the look-up and the plan run side by side (two connections); a name taken still wins over the plan's errors
  const [found, planned] = await Promise.allSettled([
    subsetRow(engine, name),
    planSubset(engine, spec, `Subset "${name}"`),
  ]);
  if (found.status === 'rejected') throw found.reason;
  const old = found.value;
  if (old && !replace) {
    throw new ValleyError('conflict', `A subset named "${name}" exists; choose another name or replace it`, {
      field: 'name',
    });
  }
  if (planned.status === 'rejected') throw planned.reason;
  const plan = planned.value;
  const row: SubsetRow = {
    spec: JSON.stringify(spec),
    plan: JSON.stringify(plan),
    createdAt: old?.createdAt ?? new Date().toISOString(),
  };
  await recordEdit(engine, `save subset ${name}`, [{ t: 'subset', name, row }], [{ t: 'subset', name, row: old }]);
  // what getSubset would read back (created_at to the second), without reading it
  return { name, spec: subsetSpecSchema.parse(JSON.parse(row.spec)), plan, createdAt: row.createdAt.slice(0, 19) };
};

export const getSubset = async (engine: Engine, name: string): Promise<Subset> => {
  const rows = await engine.all(
    `SELECT name, spec, plan, strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS c FROM valley_subsets WHERE name = $name`,
    { name },
  );
  const r = rows[0];
  if (!r) throw new ValleyError('not_found', `No subset named "${name}"`, { field: 'subset' });
  return {
    name,
    spec: subsetSpecSchema.parse(JSON.parse(String(r['spec']))),
    plan: JSON.parse(String(r['plan'])) as SubsetPlan,
    createdAt: String(r['c']),
  };
};

export const listSubsets = async (engine: Engine): Promise<Subset[]> => {
  const rows = await engine.all('SELECT name FROM valley_subsets ORDER BY created_at, name');
  return Promise.all(rows.map((r) => getSubset(engine, String(r['name']))));
};

export const deleteSubset = async (engine: Engine, name: string): Promise<void> => {
  const old = await subsetRow(engine, name);
  if (!old) throw new ValleyError('not_found', `No subset named "${name}"`, { field: 'subset' });
  await recordEdit(
    engine,
    `delete subset ${name}`,
    [{ t: 'subset', name, row: null }],
    [{ t: 'subset', name, row: old }],
  );
};
