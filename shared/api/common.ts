import { z } from 'zod';

export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });

/** A name a user gives a thing (dataset, partition, subset): printable, no path separators. */
export const userName = z
  .string()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .regex(/^[^/\\\0]+$/, 'must not contain / or \\');

export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
