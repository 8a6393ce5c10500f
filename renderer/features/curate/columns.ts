import { COLUMN_MAX_PX, COLUMN_MIN_PX, type FilterColumn, type TraceRow } from '../../../shared/api';

/** One column of the trace table: its default width, and how a row shows in it. */
export interface TraceColumn {
  key: FilterColumn;
  label: string;
  /** What the column chooser says about it. */
  title: string;
  width: number;
  num?: boolean;
  sortable?: boolean;
  cell: (r: TraceRow) => string;
}

const fmt = (n: number | null) => (n === null ? '' : n.toLocaleString());

/** The trace table's columns in order, at their default widths. */
export const traceColumns: TraceColumn[] = [
  { key: 'id', label: 'id', title: 'Trace id', width: 120, sortable: true, cell: (r) => r.id ?? '' },
  {
    key: 'difficulty',
    label: 'difficulty',
    title: 'TACO difficulty',
    width: 110,
    sortable: true,
    cell: (r) => r.difficulty ?? '',
  },
  {
    key: 'correct',
    label: 'judged',
    title: 'Judgement (✓ correct, ✗ wrong)',
    width: 70,
    sortable: true,
    cell: (r) => (r.correct === null ? '' : r.correct ? '✓' : '✗'),
  },
  {
    key: 'pass_rate',
    label: 'pass',
    title: 'Pass rate',
    width: 60,
    num: true,
    sortable: true,
    cell: (r) => (r.passRate === null ? '' : r.passRate.toFixed(2)),
  },
  { key: 'source', label: 'source', title: 'Source', width: 120, sortable: true, cell: (r) => r.source ?? '' },
  {
    key: 'think_close',
    label: 'complete',
    title: 'Reasoning closed with </think>',
    width: 80,
    sortable: true,
    cell: (r) => (r.thinkClose === false ? 'no </think>' : r.thinkClose ? 'yes' : ''),
  },
  {
    key: 'response_chars',
    label: 'chars',
    title: 'Response length (characters)',
    width: 80,
    num: true,
    sortable: true,
    cell: (r) => fmt(r.responseChars),
  },
  {
    key: 'tokens',
    label: 'tokens',
    title: 'Response length (tokens)',
    width: 70,
    num: true,
    sortable: true,
    cell: (r) => fmt(r.tokens),
  },
  { key: 'question', label: 'question', title: 'Question', width: 520, cell: (r) => r.question.replace(/\s+/g, ' ') },
];

/** Width of the leading cells every row has (selection checkbox, mark badge), px. */
export const LEAD_PX = 88;

export const clampWidth = (px: number): number =>
  Math.round(Math.min(COLUMN_MAX_PX, Math.max(COLUMN_MIN_PX, Number.isFinite(px) ? px : COLUMN_MIN_PX)));

/** The columns shown, in table order, each at the width the user gave it (or its default). */
export const shownColumns = (
  hidden: readonly FilterColumn[],
  widths: Partial<Record<FilterColumn, number>>,
): TraceColumn[] =>
  traceColumns.filter((c) => !hidden.includes(c.key)).map((c) => ({ ...c, width: widths[c.key] ?? c.width }));

/** Show or hide one column; the last shown column cannot be hidden (an empty table would explain nothing). */
export const toggleColumn = (hidden: readonly FilterColumn[], key: FilterColumn): FilterColumn[] => {
  if (hidden.includes(key)) return hidden.filter((k) => k !== key);
  const shown = traceColumns.filter((c) => !hidden.includes(c.key));
  return shown.length <= 1 ? [...hidden] : [...hidden, key];
};

/** Set one column's width (clamped); a width equal to the default is forgotten so defaults can change later. */
export const withWidth = (
  widths: Partial<Record<FilterColumn, number>>,
  key: FilterColumn,
  px: number,
): Partial<Record<FilterColumn, number>> => {
  const next = { ...widths };
  const w = clampWidth(px);
  if (w === traceColumns.find((c) => c.key === key)?.width) delete next[key];
  else next[key] = w;
  return next;
};

/** Cell padding plus the room a header needs for its sort arrow, px (what "fit" adds to the widest text). */
export const FIT_PAD_PX = 12 + 14;

/** Characters of a value measured by "fit": more would be wider than the widest column allowed anyway. */
const FIT_CHARS = 400;

/** The width that shows the widest of `texts` (header included) whole, clamped to the allowed range. */
export const fitWidth = (texts: readonly string[], measure: (text: string) => number): number =>
  clampWidth(texts.reduce((w, t) => Math.max(w, measure(t.slice(0, FIT_CHARS))), 0) + FIT_PAD_PX);
