import { z } from 'zod';
import {
  emptyFilter,
  filterColumnSchema,
  sortSchema,
  traceFilterSchema,
  type FilterColumn,
  type TraceFilter,
  type TraceSort,
} from './traces';

/** The side panels of the Curate screen. */
export const curatePanels = ['trace', 'partitions', 'subsets', 'contamination', 'sql'] as const;
export type CuratePanel = (typeof curatePanels)[number];

/** Narrowest and widest a trace-table column may be dragged to (px). */
export const COLUMN_MIN_PX = 36;
export const COLUMN_MAX_PX = 1600;

/** What reopening the workspace restores of the Curate screen (saved per dataset by the renderer as it changes). */
export interface CurateScreenState {
  filter: TraceFilter;
  sort: TraceSort;
  markPartition: string | null;
  openRow: number | null;
  compareRow: number | null;
  panel: CuratePanel;
  showThink: boolean;
  /** Trace-table columns the user hid (column chooser). */
  hiddenColumns: FilterColumn[];
  /** Trace-table column widths the user set (dragged, keyed or fitted edge), px; others keep their default. */
  columnWidths: Partial<Record<FilterColumn, number>>;
}

export const curateScreenDefaults = (): CurateScreenState => ({
  filter: emptyFilter(),
  sort: { column: 'row_id', desc: false },
  markPartition: null,
  openRow: null,
  compareRow: null,
  panel: 'partitions',
  showThink: false,
  hiddenColumns: [],
  columnWidths: {},
});

const rowId = z.number().int().nonnegative().nullable();
const fields = {
  filter: traceFilterSchema,
  sort: sortSchema,
  markPartition: z.string().min(1).max(200).nullable(),
  openRow: rowId,
  compareRow: rowId,
  panel: z.enum(curatePanels),
  showThink: z.boolean(),
  hiddenColumns: z.array(filterColumnSchema).max(filterColumnSchema.options.length),
  columnWidths: z.partialRecord(filterColumnSchema, z.number().int().min(COLUMN_MIN_PX).max(COLUMN_MAX_PX)),
} satisfies { [K in keyof CurateScreenState]: z.ZodType };

/**
 * Saved screen state as stored by an older (or broken) version: each field is checked on its own and a field
 * that does not pass is dropped (its default is used), so a bad saved value can never break the screen again.
 */
export const parseSavedFields = <T extends object>(
  fields: { [K in keyof T]: z.ZodType },
  defaults: T,
  saved: unknown,
): { state: T; dropped: string[] } => {
  const state = { ...defaults };
  const dropped: string[] = [];
  if (saved === null || saved === undefined) return { state, dropped };
  if (typeof saved !== 'object' || Array.isArray(saved)) return { state, dropped: ['all'] };
  const record = saved as Record<string, unknown>;
  for (const key of Object.keys(fields) as (keyof T & string)[]) {
    if (!(key in record)) continue;
    const parsed = fields[key].safeParse(record[key]);
    if (parsed.success) state[key] = parsed.data as T[typeof key];
    else dropped.push(key);
  }
  return { state, dropped };
};

/** The Curate screen's saved state, field by field (see parseSavedFields). */
export const parseCurateScreenState = (saved: unknown): { state: CurateScreenState; dropped: string[] } =>
  parseSavedFields<CurateScreenState>(fields, curateScreenDefaults(), saved);
