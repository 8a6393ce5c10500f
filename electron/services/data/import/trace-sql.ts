import { THINK_CLOSE, THINK_OPEN } from '../../../../shared/domain/trace';
import { literal } from '../../engine/engine';

/**
 * strpos(response, tag) without strpos: 1-based character position of the first `tag`, 0 when there is none.
 * DuckDB's strpos counts the characters before a match one by one, which on ~12 KB traces whose `</think>` is near
 * the end cost as much CPU as reading the JSON (50K traces: 0.75 CPU-s per strpos, read_json 0.6 CPU-s);
 * contains() and length() of the part before the tag take ~0.1 s each. (Over a stored table whose statistics say
 * it is ASCII, strpos is a byte search and 5× cheaper; the import reads JSON and files, which have no statistics.)
 */
const charPosition = (tag: string): string =>
  `CASE WHEN contains(response, ${literal(tag)}) THEN length(split_part(response, ${literal(tag)}, 1)) + 1 ELSE 0 END`;

const FENCE = "'```'";

/**
 * The trace parsing of shared/domain/trace.ts (`parseTrace`, LiveCodeBench's final-code rule) in SQL,
 * so it runs inside DuckDB's import scan. Lengths are in characters (Unicode code points) on both sides.
 *
 * `traceHelpers(inner)` wraps a SELECT whose rows carry the trace in a column named `response`; the
 * result adds the helper columns that `tracePartColumns` turns into the stored ones. `_b` is the piece between
 * the last two fences (`split_part` with a negative index splits from the left like `string_split` and copies
 * only that piece); `_last` says it is the final code's piece (there are two fences or more and it spans lines),
 * which saves splitting the whole trace into pieces (`_segs`, left NULL then).
 */
export const traceHelpers = (inner: string): string => `
  SELECT *,
    ${charPosition(THINK_OPEN)} AS _o,
    ${charPosition(THINK_CLOSE)} AS _c,
    CASE WHEN contains(response, ${FENCE}) AND NOT _last THEN string_split(response, ${FENCE}) END AS _segs
  FROM (
    SELECT *,
      CASE WHEN contains(_b, chr(10)) THEN strlen(response) >= strlen(split_part(response, ${FENCE}, -1)) + strlen(_b) + 6
        ELSE false END AS _last
    FROM (
      SELECT *, length(response) AS _n, CASE WHEN contains(response, ${FENCE}) THEN split_part(response, ${FENCE}, -2) END AS _b
      FROM (${inner})))`;

/**
 * Fence lines without splitting the trace into lines: split at the fences instead (few pieces). Piece m
 * (2 ≤ m < k) starts on a fence line and ends on one; it spans two different lines iff it holds a newline.
 * The last such piece runs from the second-to-last fence line to the last: the code is its inner lines.
 */
export const fenceHelpers = (inner: string): string => `
  SELECT *,
    list_max(list_transform(_segs[2:-2], lambda s, i: CASE WHEN contains(s, chr(10)) THEN i + 1 END)) AS _m
  FROM (${inner})`;

const openEnd = `(CASE WHEN _o > 0 THEN _o - 1 + ${THINK_OPEN.length} ELSE 0 END)`;

/** The stored columns computed from the helpers; `tokens` is the estimate unless a tokenizer runs later. */
export const tracePartColumns = `
    CASE WHEN response IS NULL THEN NULL ELSE _o > 0 END AS think_open,
    CASE WHEN response IS NULL THEN NULL ELSE _c > 0 END AS think_close,
    CASE WHEN response IS NULL THEN NULL
      WHEN _c > 0 THEN greatest(0, (_c - 1) - ${openEnd})
      WHEN _o > 0 THEN _n - ${openEnd} ELSE 0 END::INTEGER AS think_chars,
    CASE WHEN response IS NULL THEN NULL WHEN _c > 0 THEN _n - (_c - 1 + ${THINK_CLOSE.length}) ELSE 0 END::INTEGER AS answer_chars,
    _n::INTEGER AS response_chars,
    CASE WHEN response IS NULL THEN NULL
      WHEN _last THEN array_to_string(string_split(_b, chr(10))[2:-2], chr(10))
      WHEN _m IS NULL THEN ''
      ELSE array_to_string(string_split(_segs[_m], chr(10))[2:-2], chr(10)) END AS final_code,
    ceil(_n / 3.7)::INTEGER AS tokens`;

/** A full SELECT: `inner` must yield `response`; the result has the inner columns plus the parsed ones. */
export const parsedTraces = (inner: string, keep: string): string =>
  `SELECT ${keep}, ${tracePartColumns} FROM (${fenceHelpers(traceHelpers(inner))})`;
