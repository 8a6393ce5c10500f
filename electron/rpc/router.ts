import type { z } from 'zod';
import {
  ValleyError,
  isMethodName,
  methods,
  type MethodName,
  type ParsedRequestOf,
  type ResponseOf,
  type Result,
  toErrorValue,
} from '../../shared/api';

/** Who is calling: lets handlers tell the CLI from a window, and lets long work be cancelled with the caller. */
export interface CallContext {
  readonly transport: 'ipc' | 'http' | 'cli' | 'test';
}

export type Handler<M extends MethodName> = (request: ParsedRequestOf<M>, ctx: CallContext) => Promise<ResponseOf<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

export interface Router {
  handle(method: string, request: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

export interface RouterOptions {
  /** Check responses against the contract too (on in tests and development; cheap enough to leave on). */
  readonly validateResponses?: boolean;
  readonly onInternalError?: (method: string, error: unknown) => void;
}

const issuesOf = (error: z.ZodError): { path: string; message: string }[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(request)', message: i.message }));

/** The one place every request enters, whatever the transport: validate, dispatch, turn failures into values. */
export const createRouter = (handlers: Handlers, options: RouterOptions = {}): Router => ({
  async handle(name, request, ctx) {
    if (!isMethodName(name)) {
      return { ok: false, error: { code: 'unknown_method', message: `Unknown method "${name}"` } };
    }
    const def = methods[name];
    const parsed = def.request.safeParse(request ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      const first = issues[0];
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `Invalid request for ${name}: ${first ? `${first.path}: ${first.message}` : 'malformed'}`,
          details: { issues, field: first?.path },
        },
      };
    }
    try {
      const handler = handlers[name] as (req: unknown, c: CallContext) => Promise<unknown>;
      const value = await handler(parsed.data, ctx);
      if (options.validateResponses !== false) {
        const checked = def.response.safeParse(value);
        if (!checked.success) {
          const issues = issuesOf(checked.error);
          options.onInternalError?.(name, checked.error);
          return {
            ok: false,
            error: { code: 'internal', message: `Response of ${name} broke the contract`, details: { issues } },
          };
        }
        return { ok: true, value: checked.data };
      }
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof ValleyError)) options.onInternalError?.(name, error);
      return { ok: false, error: toErrorValue(error) };
    }
  },
});
