import { PROMPT_DASH, PROMPT_EMPTY, RESPONSE_EMPTY } from './fitness';

/** The key that says which traces answer the same question (question_id, else the question text). */
export const QUESTION_KEY = "coalesce(question_id, 'md5:' || md5(coalesce(question, '')))";

/**
 * What sampling and the fitness check read of a row's long texts, computed by a view's import in its one scan into
 * the side table (over the file's own question and response): subsets and exports of a view then never read the
 * texts of every file to choose rows. A question filled in later from a source dataset (`question_fill`, see
 * join.ts) takes precedence, as it does in the view.
 */
export const SIDE_TEXT_COLUMNS = [
  `${PROMPT_DASH} AS _q_dash`,
  `${PROMPT_EMPTY} AS _q_empty`,
  `${RESPONSE_EMPTY} AS _r_empty`,
  `CASE WHEN question_id IS NULL THEN md5(coalesce(question, '')) END AS _q_md5`,
] as const;

/** QUESTION_KEY over the side table: the same value the view's question would give. */
export const SIDE_QUESTION_KEY = "coalesce(question_id, 'md5:' || coalesce(md5(question_fill), _q_md5))";
