import { ValleyError, subsetSpecSchema, type Subset, type SubsetPlan, type SubsetSpec } from '../../../shared/api';
import type { Engine } from '../engine/engine';
import { planSubset } from './sampler';

export const saveSubset = async (engine: Engine, name: string, spec: SubsetSpec, replace: boolean): Promise<Subset> => {
  const existing = await engine.all('SELECT name FROM valley_subsets WHERE name = $name', { name });
  if (existing[0] && !replace) {
    throw new ValleyError('conflict', `A subset named "${name}" exists; choose another name or replace it`, { field: 'name' });
  }
  const plan = await planSubset(engine, spec);
  await engine.transaction(async (s) => {
    await s.run('DELETE FROM valley_subsets WHERE name = $name', { name });
    await s.run('INSERT INTO valley_subsets (name, spec, plan) VALUES ($name, $spec, $plan)', {
      name,
      spec: JSON.stringify(spec),
      plan: JSON.stringify(plan),
    });
  });
  return getSubset(engine, name);
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
  await getSubset(engine, name);
  await engine.run('DELETE FROM valley_subsets WHERE name = $name', { name });
};
