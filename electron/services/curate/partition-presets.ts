import { ValleyError, type Partition, type TraceFilter } from '../../../shared/api';
import { ident, type Engine } from '../engine/engine';
import { traceDataset, unfilteredRelation } from '../traces/filter-sql';
import { READY_FOR_TRAINING_SQL, READY_PARTITION } from './fitness';
import { savePartitions, type SavePartition } from './partitions';

export interface PresetRequest {
  dataset: string;
  preset: 'correctness' | 'difficulty' | 'training';
  by: 'judgement' | 'pass_rate';
  groups: { easy: string[]; hard: string[]; none?: string[] };
  replace: boolean;
}

const f = (clauses: TraceFilter['clauses']): TraceFilter => ({ clauses, search: '', partition: null });

/**
 * The dataset's own difficulty values for each group, compared case-insensitively (LiveCodeBench writes "easy",
 * TACO "EASY"). Every value present must be placed: in a group or explicitly left out (`none`); a value in no
 * group (TACO's MEDIUM_HARD by default) or a group matching no row refuses, before anything is replaced.
 */
const difficultyValues = async (engine: Engine, relation: string, groups: PresetRequest['groups']) => {
  const rows = await engine.all(
    `SELECT difficulty AS d, count(*) AS n FROM ${ident(relation)} WHERE difficulty IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  const present = rows.map((r) => ({ value: String(r['d']), rows: Number(r['n']) }));
  const lower = (xs: readonly string[] = []) => new Set(xs.map((x) => x.trim().toLowerCase()));
  const easy = lower(groups.easy);
  const hard = lower(groups.hard);
  const none = lower(groups.none);
  const both = [...easy].filter((x) => hard.has(x));
  if (both.length) {
    throw new ValleyError('bad_input', `Difficulty ${both.join(', ')} is in both groups; put it in one`, {
      field: 'groups',
    });
  }
  const unplaced = present.filter((p) => ![easy, hard, none].some((g) => g.has(p.value.toLowerCase())));
  if (unplaced.length) {
    throw new ValleyError(
      'bad_input',
      `Difficulty ${unplaced.map((u) => `${u.value} (${u.rows} rows)`).join(', ')} is in neither group: ` +
        'place it in easy or hard, or leave it out explicitly (groups.none)',
      { field: 'groups', unplaced: unplaced.map((u) => u.value) },
    );
  }
  const pick = (g: Set<string>) => present.filter((p) => g.has(p.value.toLowerCase())).map((p) => p.value);
  const out = { easy: pick(easy), hard: pick(hard) };
  for (const g of ['easy', 'hard'] as const) {
    if (out[g].length === 0) {
      throw new ValleyError(
        'bad_input',
        `No rows have a difficulty in the ${g} group (${groups[g].join(', ')}); the dataset's difficulties are ${present.map((p) => p.value).join(', ') || 'none'}`,
        { field: `groups.${g}` },
      );
    }
  }
  return out;
};

export const presetPartitions = async (engine: Engine, req: PresetRequest): Promise<Partition[]> => {
  const base = { dataset: req.dataset, matchAll: true, replace: req.replace };
  let reqs: SavePartition[];
  if (req.preset === 'training') {
    reqs = [
      {
        ...base,
        name: READY_PARTITION,
        description: "fit for training: the prompt is text and not '-' or empty, the response is not empty",
        filter: f([{ op: 'sql', where: READY_FOR_TRAINING_SQL }]),
      },
    ];
  } else if (req.preset === 'correctness') {
    reqs =
      req.by === 'judgement'
        ? [
            {
              ...base,
              name: 'correct',
              description: 'judgement = correct',
              filter: f([{ op: 'in', column: 'correct', values: [true], negate: false }]),
            },
            {
              ...base,
              name: 'incorrect',
              description: 'judgement = incorrect',
              filter: f([{ op: 'in', column: 'correct', values: [false], negate: false }]),
            },
          ]
        : [
            {
              ...base,
              name: 'correct',
              description: 'pass rate = 1',
              filter: f([{ op: 'range', column: 'pass_rate', min: 1, max: null }]),
            },
            {
              ...base,
              name: 'incorrect',
              description: 'pass rate < 1',
              filter: f([{ op: 'range', column: 'pass_rate', min: null, max: 1 - 1e-9 }]),
            },
          ];
  } else {
    const d = await traceDataset(engine, req.dataset);
    const values = await difficultyValues(engine, unfilteredRelation(d), req.groups);
    const left = req.groups.none?.length ? `; left out: ${req.groups.none.join(', ')}` : '';
    reqs = (['easy', 'hard'] as const).map((g) => ({
      ...base,
      name: g,
      description: `${values[g].join(' + ')}${left}`,
      filter: f([{ op: 'in', column: 'difficulty', values: values[g], negate: false }]),
    }));
  }
  return savePartitions(engine, `preset ${req.preset}`, reqs);
};
