import { z } from 'zod';
import { method } from './define';
import { empty } from './common';

export const workspaceInfoSchema = z.object({
  dir: z.string(),
  name: z.string(),
  isDemo: z.boolean(),
  createdAt: z.string(),
});
export type WorkspaceInfo = z.infer<typeof workspaceInfoSchema>;

export const systemInfoSchema = z.object({
  version: z.string(),
  duckdbVersion: z.string(),
  platform: z.string(),
  host: z.enum(['electron', 'browser', 'cli']),
  workspace: workspaceInfoSchema,
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const sqlColumnSchema = z.object({ name: z.string(), type: z.string() });
export const sqlResultSchema = z.object({
  columns: z.array(sqlColumnSchema),
  /** Row-major cells as JSON values (BIGINT beyond 2^53 and decimals arrive as strings). */
  rows: z.array(z.array(z.unknown())),
  truncated: z.boolean(),
  elapsedMs: z.number(),
});
export type SqlResult = z.infer<typeof sqlResultSchema>;

export const systemMethods = {
  'system.info': method('Version, platform and the open workspace', empty, systemInfoSchema),
  'sql.query': method(
    'Run one read-only SQL statement (SELECT, EXPLAIN, DESCRIBE, SHOW) against the workspace',
    z.object({
      sql: z.string().min(1, 'must not be empty').max(100_000),
      limit: z.number().int().min(1).max(100_000).default(1000),
      /** Let the statement read files and the environment (read_csv, read_parquet, read_text, FROM 'f.csv', getenv). */
      allowFiles: z.boolean().default(false),
    }),
    sqlResultSchema,
  ),
};
