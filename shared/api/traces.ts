import { z } from 'zod';
import { method } from './define';

/** Trace columns a filter or sort may name (the stored columns of a normalized trace relation). */
export const filterColumns = [
  'row_id',
  'id',
  'question_id',
  'question',
  'response',
  'correct',
  'pass_rate',
  'difficulty',
  'source',
  'split',
  'think_open',
  'think_close',
  'think_chars',
  'answer_chars',
  'response_chars',
  'tokens',
] as const;
export type FilterColumn = (typeof filterColumns)[number];
export const filterColumnSchema = z.enum(filterColumns);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * One condition of the shared filter model (table, histograms, partitions and subsets all use it).
 * `in`: the column is one of the values (null matches missing); `range`: min ≤ value ≤ max (either end open);
 * `contains`: case-insensitive substring; `sql`: a read-only SQL expression.
 */
export const filterClauseSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('in'),
    column: filterColumnSchema,
    values: z.array(scalar).max(10_000),
    negate: z.boolean().default(false),
  }),
  z.object({
    op: z.literal('range'),
    column: filterColumnSchema,
    min: z.number().nullable().default(null),
    max: z.number().nullable().default(null),
  }),
  z.object({ op: z.literal('contains'), column: filterColumnSchema, text: z.string().min(1).max(1000) }),
  /**
   * A read-only SQL boolean expression over the trace columns (power users, `--where` in the CLI). File-reading
   * functions (read_csv, read_text, 'file.parquet', …) are refused unless `allowFiles`.
   */
  z.object({ op: z.literal('sql'), where: z.string().min(1).max(10_000), allowFiles: z.boolean().optional() }),
]);
export type FilterClause = z.output<typeof filterClauseSchema>;

export const traceFilterSchema = z.object({
  clauses: z.array(filterClauseSchema).max(100).default([]),
  /** Full-text search: every word must occur in the question or the response (case-insensitive). */
  search: z.string().max(1000).default(''),
  /** Restrict to the rows of a partition. */
  partition: z.string().nullable().default(null),
});
export type TraceFilter = z.output<typeof traceFilterSchema>;
export type TraceFilterInput = z.input<typeof traceFilterSchema>;
export const emptyFilter = (): TraceFilter => ({ clauses: [], search: '', partition: null });

export const sortSchema = z.object({
  column: filterColumnSchema.default('row_id'),
  desc: z.boolean().default(false),
});
export type TraceSort = z.output<typeof sortSchema>;

export const markSchema = z.enum(['include', 'exclude']);
export type Mark = z.infer<typeof markSchema>;

/** One row of the trace table: the short columns plus previews of the long ones. */
export const traceRowSchema = z.object({
  rowId: z.number().int(),
  id: z.string().nullable(),
  questionId: z.string().nullable(),
  question: z.string(),
  correct: z.boolean().nullable(),
  passRate: z.number().nullable(),
  difficulty: z.string().nullable(),
  source: z.string().nullable(),
  thinkClose: z.boolean().nullable(),
  responseChars: z.number().nullable(),
  tokens: z.number().nullable(),
  /** The sort column's value for keyset paging (cursor). */
  sortKey: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  /** This row's mark in the partition named by `marksOf`. */
  mark: markSchema.nullable(),
});
export type TraceRow = z.infer<typeof traceRowSchema>;

export const cursorSchema = z.object({ key: scalar, rowId: z.number().int() });
export type TraceCursor = z.infer<typeof cursorSchema>;

const dataset = z.string().min(1);
const pageBase = {
  dataset,
  filter: traceFilterSchema.default(emptyFilter()),
  sort: sortSchema.default({ column: 'row_id', desc: false }),
  limit: z.number().int().min(1).max(2000).default(200),
  marksOf: z.string().nullable().default(null),
};

export const traceDetailSchema = z.object({
  rowId: z.number().int(),
  id: z.string().nullable(),
  questionId: z.string().nullable(),
  question: z.string(),
  response: z.string(),
  correct: z.boolean().nullable(),
  passRate: z.number().nullable(),
  difficulty: z.string().nullable(),
  source: z.string().nullable(),
  split: z.string().nullable(),
  thinkOpen: z.boolean().nullable(),
  thinkClose: z.boolean().nullable(),
  thinkChars: z.number().nullable(),
  answerChars: z.number().nullable(),
  responseChars: z.number().nullable(),
  tokens: z.number().nullable(),
  finalCode: z.string().nullable(),
  /** Other traces of the same question (row ids, at most 50), for side-by-side comparison. */
  siblings: z.array(z.object({ rowId: z.number().int(), correct: z.boolean().nullable() })),
});
export type TraceDetail = z.infer<typeof traceDetailSchema>;

export const facetNames = ['difficulty', 'judgement', 'pass_rate', 'source', 'response_chars', 'tokens'] as const;
export type FacetName = (typeof facetNames)[number];

export const facetBinSchema = z.object({
  /** Category label (categorical facets) or the bin's lower edge as text. */
  label: z.string(),
  /** Category value to filter on (categorical), or null for numeric bins. */
  value: scalar,
  x0: z.number().nullable(),
  x1: z.number().nullable(),
  count: z.number().int(),
});
export type FacetBin = z.infer<typeof facetBinSchema>;
export const facetSchema = z.object({
  name: z.enum(facetNames),
  column: filterColumnSchema,
  kind: z.enum(['category', 'numeric']),
  bins: z.array(facetBinSchema),
});
export type Facet = z.infer<typeof facetSchema>;

export const tracesMethods = {
  'traces.page': method(
    'A page of traces after (or before) a keyset cursor: fast at any depth',
    z.object({ ...pageBase, cursor: cursorSchema.nullable().default(null), backward: z.boolean().default(false) }),
    z.object({ rows: z.array(traceRowSchema), nextCursor: cursorSchema.nullable(), elapsedMs: z.number() }),
  ),
  'traces.window': method(
    'Rows at positions [start, start+limit) of the filtered, sorted order (for a virtual table), with the total',
    z.object({ ...pageBase, start: z.number().int().min(0).default(0) }),
    z.object({
      rows: z.array(traceRowSchema),
      total: z.number().int(),
      start: z.number().int(),
      elapsedMs: z.number(),
    }),
  ),
  'traces.count': method(
    'Number of traces matching a filter',
    z.object({ dataset, filter: traceFilterSchema.default(emptyFilter()) }),
    z.object({ total: z.number().int(), of: z.number().int() }),
  ),
  'traces.get': method(
    'One trace in full: question, response and its parsed parts',
    z.object({ dataset, rowId: z.number().int() }),
    traceDetailSchema,
  ),
  'traces.facets': method(
    'Crossfilter histograms: each facet counts rows matching every filter except its own',
    z.object({
      dataset,
      filter: traceFilterSchema.default(emptyFilter()),
      facets: z.array(z.enum(facetNames)).optional(),
    }),
    z.object({
      total: z.number().int(),
      of: z.number().int(),
      facets: z.array(facetSchema),
      elapsedMs: z.number(),
      /** The text search index: until 'ready', a search scans the texts (the screen says "indexing"). */
      searchIndex: z.enum(['ready', 'building', 'none']).optional(),
    }),
  ),
};
