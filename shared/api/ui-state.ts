import { z } from 'zod';
import { emptyFilter, sortSchema, traceFilterSchema, type TraceFilter, type TraceSort } from './traces';

/** The side panels of the Curate screen. */
export const curatePanels = ['trace', 'partitions', 'subsets', 'contamination', 'sql'] as const;
export type CuratePanel = (typeof curatePanels)[number];

/** What reopening the workspace restores of the Curate screen (saved per dataset by the renderer as it changes). */
export interface CurateScreenState {
  filter: TraceFilter;
  sort: TraceSort;
  markPartition: string | null;
  openRow: number | null;
  compareRow: number | null;
  panel: CuratePanel;
  showThink: boolean;
}

export const curateScreenDefaults = (): CurateScreenState => ({
  filter: emptyFilter(),
  sort: { column: 'row_id', desc: false },
  markPartition: null,
  openRow: null,
  compareRow: null,
  panel: 'partitions',
  showThink: false,
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
} satisfies { [K in keyof CurateScreenState]: z.ZodType };

/**
 * Saved screen state as stored by an older (or broken) version: each field is checked on its own and a field
 * that does not pass is dropped (its default is used), so a bad saved value can never break the screen again.
 */
export const parseCurateScreenState = (saved: unknown): { state: CurateScreenState; dropped: string[] } => {
  const state = curateScreenDefaults();
  const dropped: string[] = [];
  if (saved === null || saved === undefined) return { state, dropped };
  if (typeof saved !== 'object' || Array.isArray(saved)) return { state, dropped: ['all'] };
  const record = saved as Record<string, unknown>;
  const put = <K extends keyof CurateScreenState>(key: K): void => {
    if (!(key in record)) return;
    const parsed = fields[key].safeParse(record[key]);
    if (parsed.success) state[key] = parsed.data as CurateScreenState[K];
    else dropped.push(key);
  };
  for (const key of Object.keys(fields) as (keyof CurateScreenState)[]) put(key);
  return { state, dropped };
};
