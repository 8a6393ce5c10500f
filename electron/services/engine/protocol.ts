import type { AppendKind, AppendValue, Cell, SqlParams } from './engine';

/**
 * Messages between the backend and the engine host (engine-host.ts), a child process that owns DuckDB.
 * They travel by Node's IPC with `serialization: 'advanced'` (structured clone): results as column arrays,
 * appends as column batches, never one object per row.
 */
export type HostOp =
  | { op: 'open'; path: string; config: Record<string, string> }
  | { op: 'connect' }
  | { op: 'exec'; sid: number; mode: 'all' | 'run' | 'query' | 'types'; sql: string; params?: SqlParams }
  | { op: 'appendOpen'; sid: number; table: string }
  | { op: 'appendRows'; sid: number; kinds: readonly AppendKind[]; columns: AppendValue[][]; count: number }
  | { op: 'appendClose'; sid: number }
  | { op: 'disconnect'; sid: number }
  | { op: 'close' };

export type HostRequest = HostOp & { id: number };

/** Sent without an answer: stop what a session is running. */
export interface HostInterrupt {
  op: 'interrupt';
  sid: number;
}

export type ToHost = HostRequest | HostInterrupt;

/** A result set, column by column. */
export interface Columns {
  names: string[];
  types: string[];
  columns: Cell[][];
}

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

/** Pushed by the host while a session runs a statement: DuckDB's progress for it (0..1, null if unknown). */
export interface HostProgress {
  op: 'progress';
  sid: number;
  value: number | null;
}

export type FromHost = HostReply | HostProgress;
