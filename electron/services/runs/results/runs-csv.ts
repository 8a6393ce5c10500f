import { ValleyError } from '../../../../shared/api';
import type { Engine } from '../../engine/engine';
import { literal } from '../../engine/engine';

export const RUNS_CSV_COLUMNS = ['model', 'size', 'partition', 'seed', 'metric', 'value'] as const;

export interface CsvRun {
  key: string;
  student: string;
  size: number | null;
  partition: string;
  seed: number | null;
  labels: Record<string, string>;
  metrics: Record<string, number>;
}

const intOrNull = (file: string, line: number, field: string, v: string): number | null => {
  if (v.trim() === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n)) {
    throw new ValleyError('bad_input', `${file}, line ${line}: ${field} "${v}" is not a whole number`, {
      file,
      line,
      field,
    });
  }
  return n;
};

/** Does this CSV's header carry the runs-results columns? */
export const isRunsCsv = async (engine: Engine, file: string): Promise<boolean> => {
  const cols = await engine.all(`DESCRIBE SELECT * FROM read_csv(${literal(file)}, header = true, all_varchar = true)`);
  const names = new Set(cols.map((c) => String(c['column_name']).toLowerCase()));
  return RUNS_CSV_COLUMNS.every((c) => names.has(c));
};

/**
 * A generic CSV of run results, `model,size,partition,seed,metric,value` (+ any further columns, kept as
 * labels): one run per distinct (model, size, partition, seed, labels), one metric per row.
 */
export const parseRunsCsv = async (engine: Engine, file: string): Promise<CsvRun[]> => {
  let rows;
  try {
    rows = await engine.all(
      `SELECT * FROM read_csv(${literal(file)}, header = true, all_varchar = true, strict_mode = true)`,
    );
  } catch (error) {
    throw new ValleyError('bad_input', `${file}: ${(error as Error).message.split('\n')[0]}`, { file });
  }
  if (rows.length === 0) throw new ValleyError('bad_input', `${file}: no result rows under the header`, { file });
  const header = Object.keys(rows[0] ?? {});
  const lower = new Map(header.map((h) => [h.toLowerCase(), h]));
  const missing = RUNS_CSV_COLUMNS.filter((c) => !lower.has(c));
  if (missing.length > 0) {
    throw new ValleyError(
      'bad_input',
      `${file}, line 1: the header lacks ${missing.join(', ')} (expected ${RUNS_CSV_COLUMNS.join(',')})`,
      {
        file,
        line: 1,
        field: missing[0],
      },
    );
  }
  const extra = header.filter((h) => !(RUNS_CSV_COLUMNS as readonly string[]).includes(h.toLowerCase()));
  const runs = new Map<string, CsvRun>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const get = (c: string) => String(r[lower.get(c) as string] ?? '');
    const value = Number(get('value'));
    if (get('value').trim() === '' || !Number.isFinite(value)) {
      throw new ValleyError('bad_input', `${file}, line ${line}: value "${get('value')}" is not a number`, {
        file,
        line,
        field: 'value',
      });
    }
    const metric = get('metric').trim();
    if (!metric)
      throw new ValleyError('bad_input', `${file}, line ${line}: metric is empty`, { file, line, field: 'metric' });
    const labels = Object.fromEntries(extra.map((h) => [h, String(r[h] ?? '')]).filter(([, v]) => v !== ''));
    const run = {
      student: get('model').trim() || 'unknown',
      size: intOrNull(file, line, 'size', get('size')),
      partition: get('partition').trim() || 'all',
      seed: intOrNull(file, line, 'seed', get('seed')),
      labels,
    };
    const key = JSON.stringify([run.student, run.size, run.partition, run.seed, labels]);
    const entry: CsvRun = runs.get(key) ?? { key, ...run, metrics: {} };
    entry.metrics[metric] = value;
    runs.set(key, entry);
  });
  return [...runs.values()];
};
