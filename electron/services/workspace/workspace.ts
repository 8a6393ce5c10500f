import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { z } from 'zod';
import { ValleyError, type WorkspaceInfo } from '../../../shared/api';
import { ident, type DuckDbOptions, type Engine } from '../engine/engine';
import { openSupervisedDuckDb } from '../engine/supervised';
import { migrations } from './schema';

export const DB_FILE = 'valley.duckdb';
export const META_FILE = 'workspace.json';

const metaSchema = z.object({
  format: z.literal(1),
  name: z.string(),
  createdAt: z.string(),
  isDemo: z.boolean(),
});

export interface Workspace {
  readonly dir: string;
  readonly engine: Engine;
  info(): WorkspaceInfo;
  /** Folder for files Valley writes (exports, figures). */
  path(...parts: string[]): string;
  markDemo(): Promise<void>;
  /** The name shown for it (the folder keeps its own). */
  rename(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Write a file so that a crash leaves either the old or the new content, never half of one. */
export const writeFileAtomic = async (path: string, content: string | Uint8Array): Promise<void> => {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
};

/** Memory for DuckDB: 40% of RAM, at most 8 GB, so the app never takes the machine. */
export const defaultMemoryLimit = (): string =>
  `${Math.max(1, Math.min(8, Math.floor((totalmem() / 2 ** 30) * 0.4)))}GB`;

/**
 * The workspace engine's DuckDB memory (defaultMemoryLimit is for plain DuckDB in benchmarks). The backend (this
 * process and the engine process) should stay under 1.5 GB of RSS at 1M traces; with up to 8 GB, DuckDB's buffer pool
 * keeps every block it read or wrote (the side table, the word index's tables) and the engine's RSS grows with the
 * dataset. Beyond it DuckDB spills to the workspace's .tmp.
 */
export const ENGINE_MEMORY_LIMIT = '1GB';

/**
 * The memory the workspace's engine gets: ENGINE_MEMORY_LIMIT, or `VALLEY_ENGINE_MEMORY` (e.g. `4GB`, `768MB`) for a
 * machine with more to give (or less); anything else there is refused, naming the variable.
 */
export const engineMemoryLimit = (env: NodeJS.ProcessEnv = process.env): string => {
  const raw = env['VALLEY_ENGINE_MEMORY']?.trim();
  if (!raw) return ENGINE_MEMORY_LIMIT;
  const m = /^(\d+(?:\.\d+)?)\s*(MB|GB)$/i.exec(raw);
  const unit = (m?.[2] ?? '').toUpperCase();
  const mb = m ? Number(m[1]) * (unit === 'GB' ? 1000 : 1) : NaN;
  if (!(mb >= 128)) {
    throw new ValleyError(
      'invalid_request',
      `VALLEY_ENGINE_MEMORY="${raw}" is not a memory size of at least 128MB (write e.g. 768MB or 4GB)`,
      { field: 'VALLEY_ENGINE_MEMORY' },
    );
  }
  return `${m?.[1] ?? ''}${unit}`; // as DuckDB reads it: MB and GB are 1000² and 1000³ bytes
};

const lockMessage = /lock|conflicting/i;

/**
 * DuckDB runs in a child process that a native crash can take down alone (supervised.ts).
 * VALLEY_ENGINE=in-process runs it in this process instead: for benchmarks of the overhead and for debugging.
 */
const openEngine = async (path: string, options: DuckDbOptions): Promise<Engine> =>
  process.env['VALLEY_ENGINE'] === 'in-process'
    ? (await import('../engine/duckdb')).openDuckDb(path, options)
    : openSupervisedDuckDb(path, options);

export const isWorkspace = (dir: string): boolean => existsSync(join(dir, META_FILE));

const readMeta = async (metaPath: string): Promise<z.infer<typeof metaSchema>> => {
  let raw: unknown = null;
  try {
    raw = JSON.parse(await readFile(metaPath, 'utf8'));
  } catch {
    raw = null; // unreadable or not JSON: refused below like any bad content
  }
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ValleyError('bad_input', `${metaPath} is not a Valley workspace file`, { file: metaPath });
  }
  return parsed.data;
};

/** What workspace.json says of a workspace folder, without opening its database (another process may hold it). */
export const readWorkspaceInfo = async (dirIn: string): Promise<WorkspaceInfo> => {
  const dir = resolve(dirIn);
  if (!isWorkspace(dir)) {
    throw new ValleyError('not_found', `${dir} is not a Valley workspace (no ${META_FILE})`, { file: dir });
  }
  const meta = await readMeta(join(dir, META_FILE));
  return { dir, name: meta.name, isDemo: meta.isDemo, createdAt: meta.createdAt };
};

/** Open a workspace folder, creating it (and its database) if `create` is set. */
export const openWorkspace = async (dirIn: string, options: { create?: boolean } = {}): Promise<Workspace> => {
  const dir = resolve(dirIn);
  const metaPath = join(dir, META_FILE);
  let meta: z.infer<typeof metaSchema>;
  if (existsSync(metaPath)) {
    meta = await readMeta(metaPath);
  } else if (options.create) {
    await mkdir(dir, { recursive: true });
    meta = { format: 1, name: basename(dir), createdAt: new Date().toISOString(), isDemo: false };
    await writeFileAtomic(metaPath, JSON.stringify(meta, null, 2) + '\n');
  } else {
    throw new ValleyError('not_found', `${dir} is not a Valley workspace (no ${META_FILE}); create one first`, {
      file: dir,
    });
  }
  await mkdir(join(dir, '.tmp'), { recursive: true });
  let engine: Engine;
  try {
    engine = await openEngine(join(dir, DB_FILE), {
      memoryLimit: engineMemoryLimit(),
      tempDirectory: join(dir, '.tmp'),
      threads: Math.max(1, cpus().length),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (lockMessage.test(message)) {
      throw new ValleyError('conflict', `Workspace ${dir} is open in another Valley process; close it there first`, {
        file: join(dir, DB_FILE),
      });
    }
    throw error;
  }
  await migrate(engine);
  await dropStaleStages(engine);
  return {
    dir,
    engine,
    info: () => ({ dir, name: meta.name, isDemo: meta.isDemo, createdAt: meta.createdAt }),
    path: (...parts) => join(dir, ...parts),
    async markDemo() {
      meta = { ...meta, isDemo: true, name: 'Valley demo' };
      await writeFileAtomic(metaPath, JSON.stringify(meta, null, 2) + '\n');
    },
    async rename(name) {
      meta = { ...meta, name };
      await writeFileAtomic(metaPath, JSON.stringify(meta, null, 2) + '\n');
    },
    close: () => engine.close(),
  };
};

/** Prefix of the tables an import writes before publishing them; one the process died holding is dropped on open. */
export const STAGE_PREFIX = '_valley_stage_';

const dropStaleStages = async (engine: Engine): Promise<void> => {
  const rows = await engine.all(
    'SELECT table_name AS name FROM information_schema.tables WHERE starts_with(table_name, $p)',
    {
      p: STAGE_PREFIX,
    },
  );
  for (const r of rows) await engine.run(`DROP TABLE IF EXISTS ${ident(String(r['name']))}`);
};

const migrate = async (engine: Engine): Promise<void> => {
  const exists = await engine.all(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'valley_meta'",
  );
  let version = 0;
  if (exists[0]?.['n'] === 1) {
    const rows = await engine.all("SELECT value FROM valley_meta WHERE key = 'schema_version'");
    version = Number(rows[0]?.['value'] ?? 0);
  }
  for (let v = version; v < migrations.length; v++) {
    const sql = migrations[v] as string;
    await engine.transaction(async (s) => {
      await s.run(sql);
      await s.run("INSERT OR REPLACE INTO valley_meta VALUES ('schema_version', $v)", { v: String(v + 1) });
    });
  }
};
