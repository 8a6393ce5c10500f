import { ValleyError } from '../../../shared/api';
import { ident, type Session } from '../engine/engine';

/**
 * What a training row must be: a prompt that is text and not OpenCodeReasoning-2's '-' placeholder (the
 * problem text lives in the source dataset until it is joined), and a response that is text. Roles are stored
 * as VARCHAR; the import refuses list- or struct-valued question/response columns (see normalize.ts), so what is
 * left to catch here is missing, blank and '-' values.
 */
export const WS = `' ' || chr(9) || chr(10) || chr(13)`;
export const PROMPT_DASH = `(trim(question, ${WS}) = '-')`;
export const PROMPT_EMPTY = `(question IS NULL OR trim(question, ${WS}) = '')`;
export const RESPONSE_EMPTY = `(response IS NULL OR trim(response, ${WS}) = '')`;
export const UNFIT_SQL = `(${PROMPT_DASH} OR ${PROMPT_EMPTY} OR ${RESPONSE_EMPTY})`;
/** The condition of the "ready for training" partition: exactly the rows exports accept. */
export const READY_FOR_TRAINING_SQL = `NOT ${UNFIT_SQL}`;
export const READY_PARTITION = 'ready-for-training';

export interface Unfit {
  readonly rows: number;
  readonly dash: number;
  readonly emptyPrompt: number;
  readonly emptyResponse: number;
  readonly examples: number[];
}

/**
 * Where the fitness of a dataset's rows is read: the relation (with `row_id`) and the three conditions over it. For
 * a table, the conditions read its question and response. For a view over Parquet files, reading them would scan the
 * files' texts (the chosen rows are scattered over every row group), so the import computes them into the side table
 * (view-side.ts, from the files' own texts) and a question filled in from a source dataset later
 * (`question_fill`) takes precedence, as in the view.
 */
export interface FitSource {
  readonly relation: string;
  readonly dash: string;
  readonly emptyPrompt: string;
  readonly emptyResponse: string;
}

export const fitOfRelation = (relation: string): FitSource => ({
  relation,
  dash: PROMPT_DASH,
  emptyPrompt: PROMPT_EMPTY,
  emptyResponse: RESPONSE_EMPTY,
});

/** The three conditions as columns _u_dash, _u_ep, _u_er of a select list over `fit.relation` (", …"). */
export const fitColumns = (fit: FitSource): string =>
  `, (${fit.dash}) AS _u_dash, (${fit.emptyPrompt}) AS _u_ep, (${fit.emptyResponse}) AS _u_er`;

/** Unfit rows among the first `size` positions of an order table (row_id, pos). */
export const findUnfit = async (s: Session, fit: FitSource, orderTable: string, size: number): Promise<Unfit> => {
  const picked = `SELECT row_id, pos FROM ${orderTable} WHERE pos < ${Math.floor(size)}`;
  const rows = await s.all(
    `SELECT count(*) AS n, count(*) FILTER (WHERE ${fit.dash}) AS dash, count(*) FILTER (WHERE ${fit.emptyPrompt}) AS ep,
            count(*) FILTER (WHERE ${fit.emptyResponse}) AS er,
            list(t.row_id ORDER BY o.pos)[1:3] AS ex
       FROM ${ident(fit.relation)} t JOIN (${picked}) o ON o.row_id = t.row_id
      WHERE (${fit.dash}) OR (${fit.emptyPrompt}) OR (${fit.emptyResponse})`,
  );
  const r = rows[0] ?? {};
  return {
    rows: Number(r['n'] ?? 0),
    dash: Number(r['dash'] ?? 0),
    emptyPrompt: Number(r['ep'] ?? 0),
    emptyResponse: Number(r['er'] ?? 0),
    examples: Array.isArray(r['ex']) ? (r['ex'] as unknown[]).map(Number) : [],
  };
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Refuse a subset or export holding unfit rows: the count, why, three example row ids, and the fix. */
export const requireFit = async (
  s: Session,
  fit: FitSource,
  orderTable: string,
  size: number,
  what: string,
): Promise<void> => refuseUnfit(await findUnfit(s, fit, orderTable, size), what);

/** Throw the error of requireFit when `u` holds any row. */
export const refuseUnfit = (u: Unfit, what: string): void => {
  if (u.rows === 0) return;
  const why = [
    u.dash
      ? `${u.dash} with the prompt '-' (OpenCodeReasoning-2's placeholder for a question that lives in its source dataset)`
      : '',
    u.emptyPrompt ? `${u.emptyPrompt} with an empty prompt` : '',
    u.emptyResponse ? `${u.emptyResponse} with an empty response` : '',
  ].filter(Boolean);
  const fix = [
    u.dash
      ? 'import the source datasets (TACO, APPS, CodeContests, open-r1/codeforces: Data → Import, presets taco/apps/code_contests/codeforces) so the questions are joined'
      : '',
    `or build it on the partition "${READY_PARTITION}" (Curate → Presets → Ready for training), which leaves these rows out`,
  ].filter(Boolean);
  throw new ValleyError(
    'bad_input',
    `${what}: ${plural(u.rows, 'row is', 'rows are')} not fit for training (${why.join('; ')}), e.g. row ids ${u.examples.join(', ')}. ` +
      `Fix: ${fix.join(', ')}.`,
    {
      field: 'partition',
      unfit: u.rows,
      dash: u.dash,
      emptyPrompt: u.emptyPrompt,
      emptyResponse: u.emptyResponse,
      examples: u.examples,
    },
  );
};
