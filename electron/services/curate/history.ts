import type { CurateHistory, Mark, TraceFilter } from '../../../shared/api';
import { literal, type Engine, type Session } from '../engine/engine';
import { orderIndexFor } from '../traces/order-index';

/** A stored partition definition, as undo needs to put it back. */
export interface PartitionRow {
  readonly dataset: string;
  readonly filter: TraceFilter;
  readonly matchAll: boolean;
  readonly description: string;
  readonly createdAt: string;
}

/**
 * One reversible step. Every curation edit is a list of ops; the log keeps the ops that redo it and the
 * ops that undo it, so undo survives a restart (it lives in the workspace, not in the window).
 */
export type Op =
  | { readonly t: 'partition'; readonly name: string; readonly row: PartitionRow | null }
  | { readonly t: 'rename'; readonly from: string; readonly to: string }
  | { readonly t: 'marks'; readonly partition: string; readonly changes: readonly (readonly [number, Mark | null])[] }
  | { readonly t: 'subset'; readonly name: string; readonly row: SubsetRow | null };

/** A stored subset recipe (its spec and plan as JSON text). */
export interface SubsetRow {
  readonly spec: string;
  readonly plan: string;
  readonly createdAt: string;
}

/** Saved subset recipes name their partition (as `partition` or in their filter): they follow a rename. */
const renameInSubsets = async (s: Session, from: string, to: string): Promise<void> => {
  const rows = await s.all(
    `SELECT name, spec::VARCHAR AS spec FROM valley_subsets
      WHERE json_extract_string(spec, '$.partition') = $from OR json_extract_string(spec, '$.filter.partition') = $from`,
    { from },
  );
  for (const r of rows) {
    const spec = JSON.parse(String(r['spec'])) as { partition?: string | null; filter?: { partition?: string | null } };
    if (spec.partition === from) spec.partition = to;
    if (spec.filter?.partition === from) spec.filter.partition = to;
    await s.run('UPDATE valley_subsets SET spec = $spec WHERE name = $name', {
      spec: JSON.stringify(spec),
      name: String(r['name']),
    });
  }
};

/** A statement and its parameters. */
type Statement = readonly [sql: string, params?: Record<string, string>];

const subsetStatements = (op: Extract<Op, { t: 'subset' }>): Statement[] => [
  ['DELETE FROM valley_subsets WHERE name = $name', { name: op.name }],
  ...(op.row
    ? [
        [
          'INSERT INTO valley_subsets (name, spec, plan, created_at) VALUES ($name, $spec, $plan, $c::TIMESTAMP)',
          { name: op.name, spec: op.row.spec, plan: op.row.plan, c: op.row.createdAt },
        ] as const,
      ]
    : []),
];

/** The log's part of an edit: a new edit drops whatever had been undone. */
const logStatements = (label: string, redo: readonly Op[], undo: readonly Op[]): Statement[] => [
  ['DELETE FROM valley_curate_log WHERE undone'],
  [
    `INSERT INTO valley_curate_log (seq, label, undo, redo)
     SELECT coalesce(max(seq), 0) + 1, $label, $undo, $redo FROM valley_curate_log`,
    { label, undo: JSON.stringify(undo), redo: JSON.stringify(redo) },
  ],
];

/** A statement with its parameters written in as string literals (every `$name` in it must be one of them). */
const inlined = ([sql, params]: Statement): string =>
  sql.replace(/\$(\w+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`No value for $${name} in: ${sql}`);
    return literal(v);
  });

const applyOp = async (s: Session, op: Op): Promise<void> => {
  if (op.t === 'rename') {
    await s.run('UPDATE valley_partitions SET name = $to, updated_at = current_timestamp WHERE name = $from', {
      from: op.from,
      to: op.to,
    });
    await s.run('UPDATE valley_partition_marks SET partition = $to WHERE partition = $from', {
      from: op.from,
      to: op.to,
    });
    await renameInSubsets(s, op.from, op.to);
    return;
  }
  if (op.t === 'subset') {
    for (const [sql, params] of subsetStatements(op)) await s.run(sql, params);
    return;
  }
  if (op.t === 'partition') {
    await s.run('DELETE FROM valley_partitions WHERE name = $name', { name: op.name });
    if (op.row === null) {
      await s.run('DELETE FROM valley_partition_marks WHERE partition = $name', { name: op.name });
      return;
    }
    await s.run(
      `INSERT INTO valley_partitions (name, dataset, filter, match_all, description, created_at, updated_at)
       VALUES ($name, $dataset, $filter, $matchAll, $description, $createdAt::TIMESTAMP, current_timestamp)`,
      {
        name: op.name,
        dataset: op.row.dataset,
        filter: JSON.stringify(op.row.filter),
        matchAll: op.row.matchAll,
        description: op.row.description,
        createdAt: op.row.createdAt,
      },
    );
    return;
  }
  if (op.changes.length === 0) return;
  await s.run(
    `DELETE FROM valley_partition_marks WHERE partition = $p AND row_id IN (SELECT unnest(from_json($ids, '["BIGINT"]')))`,
    { p: op.partition, ids: JSON.stringify(op.changes.map((c) => c[0])) },
  );
  const set = op.changes.filter((c): c is readonly [number, Mark] => c[1] !== null);
  if (set.length) {
    await s.append(
      'valley_partition_marks',
      ['varchar', 'bigint', 'varchar'],
      set.map(([id, m]) => [op.partition, id, m]),
    );
  }
};

const applyAll = async (s: Session, ops: readonly Op[]): Promise<void> => {
  for (const op of ops) await applyOp(s, op);
};

export const historyOf = async (engine: Engine | Session): Promise<CurateHistory> => {
  const rows = await engine.all(
    `SELECT (SELECT label FROM valley_curate_log WHERE NOT undone ORDER BY seq DESC LIMIT 1) AS u,
            (SELECT label FROM valley_curate_log WHERE undone ORDER BY seq ASC LIMIT 1) AS r`,
  );
  const u = rows[0]?.['u'] ?? null;
  const r = rows[0]?.['r'] ?? null;
  return {
    canUndo: u !== null,
    canRedo: r !== null,
    undoLabel: u === null ? null : String(u),
    redoLabel: r === null ? null : String(r),
  };
};

/** Apply an edit and log it, in one transaction (one round trip for subset edits); a new edit drops the undone ones. */
export const recordEdit = async (
  engine: Engine,
  label: string,
  redo: readonly Op[],
  undo: readonly Op[],
  then?: (s: Session) => Promise<void>,
): Promise<void> => {
  const subsetOps = redo.filter((op): op is Extract<Op, { t: 'subset' }> => op.t === 'subset');
  if (!then && subsetOps.length === redo.length) {
    // one round trip: the transaction as one script on a connection of its own (Engine.run), so a statement that
    // fails leaves it uncommitted and closing the connection rolls it back
    const statements = [...subsetOps.flatMap(subsetStatements), ...logStatements(label, redo, undo)];
    await engine.run(['BEGIN TRANSACTION', ...statements.map(inlined), 'COMMIT'].join(';\n'));
  } else {
    await engine.transaction(async (s) => {
      await applyAll(s, redo);
      for (const [sql, params] of logStatements(label, redo, undo)) await s.run(sql, params);
      await then?.(s);
    });
  }
  orderIndexFor(engine).invalidate();
};

const step = async (engine: Engine, direction: 'undo' | 'redo'): Promise<CurateHistory> => {
  await engine.transaction(async (s) => {
    const rows = await s.all(
      direction === 'undo'
        ? 'SELECT seq, undo AS ops FROM valley_curate_log WHERE NOT undone ORDER BY seq DESC LIMIT 1'
        : 'SELECT seq, redo AS ops FROM valley_curate_log WHERE undone ORDER BY seq ASC LIMIT 1',
    );
    const r = rows[0];
    if (!r) return;
    await applyAll(s, JSON.parse(String(r['ops'])) as Op[]);
    await s.run('UPDATE valley_curate_log SET undone = $u WHERE seq = $seq', {
      u: direction === 'undo',
      seq: Number(r['seq']),
    });
  });
  orderIndexFor(engine).invalidate();
  return historyOf(engine);
};

export const undo = (engine: Engine): Promise<CurateHistory> => step(engine, 'undo');
export const redo = (engine: Engine): Promise<CurateHistory> => step(engine, 'redo');
