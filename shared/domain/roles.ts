/** The roles a column of an imported trace dataset can play; presets and the import contract map columns to them. */
export const traceRoles = [
  'id',
  'questionId',
  'question',
  'response',
  'correct',
  'passRate',
  'difficulty',
  'source',
  'split',
] as const;
export type TraceRole = (typeof traceRoles)[number];
