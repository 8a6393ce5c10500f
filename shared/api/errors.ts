import { z } from 'zod';

export const errorCodes = [
  'invalid_request',
  'unknown_method',
  'not_found',
  'bad_input',
  'conflict',
  'forbidden',
  'cancelled',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const issueSchema = z.object({ path: z.string(), message: z.string() });
export type ApiIssue = z.infer<typeof issueSchema>;

/** Errors travel as values: a code a program can switch on, a message a person can read, details for both. */
export const apiErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z
    .object({
      issues: z.array(issueSchema).optional(),
      file: z.string().optional(),
      line: z.number().int().optional(),
      field: z.string().optional(),
    })
    .catchall(z.unknown())
    .optional(),
});
export type ApiErrorValue = z.infer<typeof apiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorValue };

/** The error type both sides throw locally; it never crosses a process boundary as a thrown value. */
export class ValleyError extends Error {
  readonly code: ErrorCode;
  readonly details: ApiErrorValue['details'];
  constructor(code: ErrorCode, message: string, details?: ApiErrorValue['details']) {
    super(message);
    this.name = 'ValleyError';
    this.code = code;
    this.details = details;
  }
  toValue(): ApiErrorValue {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static from(value: ApiErrorValue): ValleyError {
    return new ValleyError(value.code, value.message, value.details);
  }
}

export const isValleyError = (e: unknown): e is ValleyError => e instanceof ValleyError;

/** Any thrown value as an error value: ValleyErrors keep their code, anything else is `internal`. */
export const toErrorValue = (error: unknown): ApiErrorValue => {
  if (error instanceof ValleyError) return error.toValue();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
};
