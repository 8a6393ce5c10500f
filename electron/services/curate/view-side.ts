import type { DatasetInfo } from '../../../shared/api';
import { columnsOf, type Engine } from '../engine/engine';
import { sideTableFor } from '../data/import/build';
import { WS, fitOfRelation, type FitSource } from './fitness';

const fitOfSideTable = (side: string): FitSource => ({
  relation: side,
  dash: `CASE WHEN question_fill IS NULL THEN _q_dash ELSE trim(question_fill, ${WS}) = '-' END`,
  emptyPrompt: `CASE WHEN question_fill IS NULL THEN _q_empty ELSE trim(question_fill, ${WS}) = '' END`,
  emptyResponse: '_r_empty',
});

const hasTextColumns = new Map<string, Promise<boolean>>();

/** The side table of a view imported with SIDE_TEXT_COLUMNS (views imported before them have none): null otherwise. */
export const precomputedSide = async (engine: Engine, d: DatasetInfo): Promise<string | null> => {
  if (d.storage !== 'view') return null;
  const side = sideTableFor(d.relation);
  const key = `${side}|${d.createdAt}`;
  let has = hasTextColumns.get(key);
  if (!has) {
    has = columnsOf(engine, side).then((cols) =>
      ['_q_dash', '_q_empty', '_r_empty', '_q_md5'].every((c) => cols.has(c)),
    );
    hasTextColumns.set(key, has);
    has.catch(() => hasTextColumns.delete(key));
  }
  return (await has) ? side : null;
};

/** Where the fitness of a dataset's rows is read: its side table when it has the precomputed columns. */
export const fitSourceOf = async (engine: Engine, d: DatasetInfo): Promise<FitSource> => {
  const side = await precomputedSide(engine, d);
  return side ? fitOfSideTable(side) : fitOfRelation(d.relation);
};

/**
 * READY_FOR_TRAINING_SQL over a side table's precomputed columns: the rows it keeps in the view (NOT of the same
 * three conditions, with the same NULLs), without reading the files' texts.
 */
export const readyOnSide = (side: string): string => {
  const f = fitOfSideTable(side);
  return `NOT ((${f.dash}) OR (${f.emptyPrompt}) OR (${f.emptyResponse}))`;
};
