import { z } from 'zod';
import { safeName } from '../domain/names';

export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });

/** A name a user gives a thing (dataset, partition, subset, run, job, figure, cluster profile): a safe name (see names.ts). */
export const userName = safeName;

export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
