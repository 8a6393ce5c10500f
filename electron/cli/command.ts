import type { ParseArgsConfig } from 'node:util';
import type { MethodName, RequestOf, ResponseOf } from '../../shared/api';
import type { Backend } from '../rpc/boot';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  readonly positionals: string[];
  readonly values: OptionValues;
  readonly json: boolean;
  readonly workspaceDir: string | undefined;
  /** Open the workspace (once) and return the backend; commands that need none never call it. */
  backend(ifMissing?: 'create' | 'demo' | 'refuse'): Promise<Backend>;
  /** Call an API method through the router (validated like every other transport); throws ValleyError on failure. */
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  /** Progress and other chatter for people: stderr, and never with --json. */
  info(line: string): void;
}

/** What a command prints: `json` with --json, `text` otherwise. */
export interface CommandOutput {
  readonly json: unknown;
  readonly text: string;
}

export interface Command {
  /** The verb, or verb and sub-verb ("results import"). */
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Commands that keep running (serve) return null and resolve when done. */
  run(ctx: CommandContext): Promise<CommandOutput | null>;
}

export const stringOption = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

export const listOption = (values: OptionValues, name: string): string[] => {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
};
