import type { z } from 'zod';

/** One API method: a name (the key in its table), a one-line summary, and zod schemas on both sides. */
export interface MethodDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly summary: string;
  readonly request: Req;
  readonly response: Res;
}

export const method = <Req extends z.ZodType, Res extends z.ZodType>(
  summary: string,
  request: Req,
  response: Res,
): MethodDef<Req, Res> => ({ summary, request, response });
