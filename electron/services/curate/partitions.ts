import { ValleyError, type Facet, type Mark, type Partition, type TraceFilter } from '../../../shared/api';
import type { Engine, Row } from '../engine/engine';
import { traceCount } from '../traces/query';
import { partitionFacets } from '../traces/facets';
import { filterParts, traceDataset } from '../traces/filter-sql';
import { recordEdit, type Op, type PartitionRow } from './history';

const partitionRow = async (engine: Engine, name: string): Promise<(PartitionRow & { updatedAt: string }) | null> => {
  const rows = await engine.all(
    `SELECT dataset, filter, match_all, description, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%g') AS c,
            strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%g') AS u FROM valley_partitions WHERE name = $name`,
    { name },
  );
  const r = rows[0];
  return r ? toPartitionRow(r) : null;
};

const toPartitionRow = (r: Row): PartitionRow & { updatedAt: string } => ({
  dataset: String(r['dataset']),
  filter: JSON.parse(String(r['filter'])) as TraceFilter,
  matchAll: r['match_all'] === true,
  description: String(r['description'] ?? ''),
  createdAt: String(r['c']),
  updatedAt: String(r['u']),
});

export const getPartition = async (engine: Engine, name: string): Promise<Partition> => {
  const row = await partitionRow(engine, name);
  if (!row) throw new ValleyError('not_found', `No partition named "${name}"`, { field: 'name' });
  const marks = await engine.all(
    `SELECT count(*) FILTER (WHERE mark = 'include') AS i, count(*) FILTER (WHERE mark = 'exclude') AS e
       FROM valley_partition_marks WHERE partition = $name`,
    { name },
  );
  const { total } = await traceCount(engine, row.dataset, { clauses: [], search: '', partition: name });
  return {
    name,
    dataset: row.dataset,
    filter: row.filter,
    matchAll: row.matchAll,
    description: row.description,
    includes: Number(marks[0]?.['i'] ?? 0),
    excludes: Number(marks[0]?.['e'] ?? 0),
    size: total,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
};

export const listPartitions = async (engine: Engine, dataset?: string): Promise<Partition[]> => {
  const rows = await engine.all(
    `SELECT name FROM valley_partitions ${dataset ? 'WHERE dataset = $d' : ''} ORDER BY created_at, name`,
    dataset ? { d: dataset } : undefined,
  );
  const out: Partition[] = [];
  for (const r of rows) out.push(await getPartition(engine, String(r['name'])));
  return out;
};

export interface SavePartition {
  name: string;
  dataset: string;
  filter: TraceFilter;
  matchAll: boolean;
  description: string;
  replace: boolean;
}

const savePlan = async (engine: Engine, req: SavePartition): Promise<{ redo: Op[]; undo: Op[] }> => {
  const d = await traceDataset(engine, req.dataset);
  if (req.filter.partition === req.name) {
    throw new ValleyError('bad_input', `Partition "${req.name}" cannot be defined by itself`, {
      field: 'filter.partition',
    });
  }
  if (req.filter.partition !== null) {
    const base = await partitionRow(engine, req.filter.partition);
    if (!base)
      throw new ValleyError('not_found', `No partition named "${req.filter.partition}"`, { field: 'filter.partition' });
    if (base.filter.partition !== null) {
      throw new ValleyError(
        'bad_input',
        `Partition "${req.filter.partition}" is itself defined from a partition; nest one level only`,
        {
          field: 'filter.partition',
        },
      );
    }
  }
  await filterParts(engine, d, req.filter); // checks SQL clauses and the base partition
  const old = await partitionRow(engine, req.name);
  if (old && !req.replace) {
    throw new ValleyError('conflict', `A partition named "${req.name}" exists; choose another name or replace it`, {
      field: 'name',
    });
  }
  const row: PartitionRow = {
    dataset: req.dataset,
    filter: req.filter,
    matchAll: req.matchAll,
    description: req.description,
    createdAt: old?.createdAt ?? new Date().toISOString(),
  };
  return {
    redo: [{ t: 'partition', name: req.name, row }],
    undo: [{ t: 'partition', name: req.name, row: old }],
  };
};

export const savePartition = async (engine: Engine, req: SavePartition): Promise<Partition> => {
  const { redo, undo } = await savePlan(engine, req);
  await recordEdit(engine, `save partition ${req.name}`, redo, undo);
  return getPartition(engine, req.name);
};

/** Several partitions in one undoable step (presets). */
export const savePartitions = async (engine: Engine, label: string, reqs: SavePartition[]): Promise<Partition[]> => {
  const redo: Op[] = [];
  const undo: Op[] = [];
  for (const r of reqs) {
    const plan = await savePlan(engine, r);
    redo.push(...plan.redo);
    undo.push(...plan.undo);
  }
  await recordEdit(engine, label, redo, undo);
  return Promise.all(reqs.map((r) => getPartition(engine, r.name)));
};

const allMarks = async (engine: Engine, name: string): Promise<[number, Mark][]> =>
  (
    await engine.all('SELECT row_id, mark FROM valley_partition_marks WHERE partition = $name ORDER BY row_id', {
      name,
    })
  ).map((r) => [Number(r['row_id']), r['mark'] as Mark]);

export const deletePartition = async (engine: Engine, name: string): Promise<void> => {
  const old = await partitionRow(engine, name);
  if (!old) throw new ValleyError('not_found', `No partition named "${name}"`, { field: 'name' });
  const used = await engine.all(
    "SELECT name FROM valley_partitions WHERE json_extract_string(filter, '$.partition') = $name",
    { name },
  );
  if (used[0]) {
    throw new ValleyError(
      'conflict',
      `Partition "${String(used[0]['name'])}" is defined from "${name}"; delete that first`,
      { field: 'name' },
    );
  }
  await recordEdit(
    engine,
    `delete partition ${name}`,
    [{ t: 'partition', name, row: null }],
    [
      { t: 'partition', name, row: old },
      { t: 'marks', partition: name, changes: await allMarks(engine, name) },
    ],
  );
};

export const renamePartition = async (engine: Engine, from: string, to: string): Promise<Partition> => {
  if (!(await partitionRow(engine, from)))
    throw new ValleyError('not_found', `No partition named "${from}"`, { field: 'name' });
  if (await partitionRow(engine, to))
    throw new ValleyError('conflict', `A partition named "${to}" exists`, { field: 'to' });
  await recordEdit(
    engine,
    `rename partition ${from} → ${to}`,
    [{ t: 'rename', from, to }],
    [{ t: 'rename', from: to, to: from }],
  );
  return getPartition(engine, to);
};

/** Set (or clear, with null) include/exclude marks; only rows whose mark changes are logged. */
export const setMarks = async (
  engine: Engine,
  partition: string,
  rowIds: readonly number[],
  mark: Mark | null,
  label?: string,
): Promise<{ changed: number; size: number }> => {
  const row = await partitionRow(engine, partition);
  if (!row) throw new ValleyError('not_found', `No partition named "${partition}"`, { field: 'partition' });
  const ids = [...new Set(rowIds)];
  const current = new Map<number, Mark>();
  for (const r of await engine.all(
    `SELECT row_id, mark FROM valley_partition_marks WHERE partition = $p AND row_id IN (SELECT unnest(from_json($ids, '["BIGINT"]')))`,
    { p: partition, ids: JSON.stringify(ids) },
  )) {
    current.set(Number(r['row_id']), r['mark'] as Mark);
  }
  const changing = ids.filter((id) => (current.get(id) ?? null) !== mark);
  if (changing.length) {
    await recordEdit(
      engine,
      label ?? `${mark ?? 'unmark'} ${changing.length} row${changing.length === 1 ? '' : 's'} in ${partition}`,
      [{ t: 'marks', partition, changes: changing.map((id) => [id, mark] as const) }],
      [{ t: 'marks', partition, changes: changing.map((id) => [id, current.get(id) ?? null] as const) }],
    );
  }
  const { total } = await traceCount(engine, row.dataset, { clauses: [], search: '', partition });
  return { changed: changing.length, size: total };
};

export const listMarks = async (
  engine: Engine,
  partition: string,
): Promise<{ include: number[]; exclude: number[] }> => {
  const marks = await allMarks(engine, partition);
  return {
    include: marks.filter((m) => m[1] === 'include').map((m) => m[0]),
    exclude: marks.filter((m) => m[1] === 'exclude').map((m) => m[0]),
  };
};

/** Each partition's size and facets (difficulty, judgement, … mix) over its own rows: one query per dataset. */
export const partitionStats = async (
  engine: Engine,
  names: readonly string[],
): Promise<{ name: string; size: number; facets: Facet[] }[]> => {
  const rows = await engine.all(
    `SELECT name, dataset FROM valley_partitions WHERE name IN (SELECT unnest(from_json($names, '["VARCHAR"]')))`,
    { names: JSON.stringify(names) },
  );
  const datasetOf = new Map(rows.map((r) => [String(r['name']), String(r['dataset'])]));
  const missing = names.find((n) => !datasetOf.has(n));
  if (missing !== undefined) throw new ValleyError('not_found', `No partition named "${missing}"`, { field: 'name' });
  const byName = new Map<string, { size: number; facets: Facet[] }>();
  for (const dataset of new Set(datasetOf.values())) {
    const here = [...datasetOf].filter(([, ds]) => ds === dataset).map(([n]) => n);
    const stats = await partitionFacets(engine, await traceDataset(engine, dataset), here);
    here.forEach((n, i) => byName.set(n, { size: stats[i]?.total ?? 0, facets: stats[i]?.facets ?? [] }));
  }
  return names.map((name) => ({ name, ...(byName.get(name) as { size: number; facets: Facet[] }) }));
};
