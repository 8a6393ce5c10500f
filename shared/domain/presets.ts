import type { TraceRole } from './roles';

/**
 * Column-role presets for the trace datasets researchers bring. Each maps source columns to Valley's
 * roles; `auto` picks the preset whose signature columns are all present, else guesses by name.
 */
export const presetNames = ['ocr2', 'ocr1', 'taco', 'apps', 'code_contests', 'codeforces', 'chat', 'auto'] as const;
export type PresetName = (typeof presetNames)[number];
export type DetectedPreset = Exclude<PresetName, 'auto'> | 'generic';
export type RoleMapping = Partial<Record<TraceRole, string | null>>;
export type DatasetKind = 'traces' | 'benchmark' | 'source';

export interface PresetDef {
  readonly name: Exclude<PresetName, 'auto'>;
  readonly label: string;
  /** What rows of this shape are: teacher traces, or problems that traces point back to. */
  readonly kind: DatasetKind;
  /** Columns that must all be present for `auto` to pick this preset. */
  readonly signature: readonly string[];
  readonly roles: RoleMapping;
  /** A source of OpenCodeReasoning-2 questions: the value of OCR2's `dataset` column whose rows it serves. */
  readonly serves?: string;
  /** Its Hugging Face name, for messages that say what to import. */
  readonly hf?: string;
  /** The question is composed from several columns (open-r1/codeforces, as OCR2's card recipe builds it). */
  readonly compose?: 'codeforces';
}

export const presets: readonly PresetDef[] = [
  {
    name: 'ocr2',
    label: 'OpenCodeReasoning-2',
    kind: 'traces',
    signature: ['question_id', 'r1_generation', 'judgement'],
    roles: {
      id: 'id',
      questionId: 'question_id',
      question: 'question',
      response: 'r1_generation',
      correct: 'judgement',
      passRate: 'pass_rate',
      difficulty: 'difficulty',
      source: 'source',
      split: 'split',
    },
  },
  {
    name: 'ocr1',
    label: 'OpenCodeReasoning v1',
    kind: 'traces',
    signature: ['input', 'output', 'dataset'],
    roles: {
      id: 'id',
      questionId: null,
      question: 'input',
      response: 'output',
      correct: null,
      passRate: null,
      difficulty: 'difficulty',
      source: 'source',
      split: 'split',
    },
  },
  {
    name: 'chat',
    label: 'Chat messages (OpenAI style)',
    kind: 'traces',
    signature: ['messages'],
    roles: {
      id: 'id',
      questionId: null,
      question: 'messages',
      response: 'messages',
      correct: null,
      passRate: null,
      difficulty: 'difficulty',
      source: 'source',
      split: 'split',
    },
  },
  // The four sources of OCR2's questions, in their Hugging Face column layouts (see docs/DATA.md for where each
  // fact comes from). APPS comes before TACO: both have question/solutions/input_output, only APPS has problem_id.
  {
    name: 'apps',
    label: 'APPS problems (codeparrot/apps)',
    kind: 'source',
    signature: ['problem_id', 'question', 'solutions', 'input_output'],
    roles: {
      id: null,
      questionId: 'problem_id',
      question: 'question',
      response: null,
      correct: null,
      passRate: null,
      difficulty: 'difficulty',
      source: null,
      split: 'split',
    },
    serves: 'apps',
    hf: 'codeparrot/apps',
  },
  {
    name: 'taco',
    label: 'TACO problems (BAAI/TACO)',
    kind: 'source',
    signature: ['question', 'solutions', 'input_output'],
    roles: {
      id: null,
      questionId: 'name',
      question: 'question',
      response: null,
      correct: null,
      passRate: null,
      difficulty: 'difficulty',
      source: 'source',
      split: 'split',
    },
    serves: 'taco',
    hf: 'BAAI/TACO',
  },
  {
    name: 'code_contests',
    label: 'CodeContests problems (deepmind/code_contests)',
    kind: 'source',
    signature: ['name', 'description', 'public_tests', 'private_tests'],
    roles: {
      id: null,
      questionId: 'name',
      question: 'description',
      response: null,
      correct: null,
      passRate: null,
      difficulty: 'difficulty',
      source: 'source',
      split: 'split',
    },
    serves: 'code_contests',
    hf: 'deepmind/code_contests',
  },
  {
    name: 'codeforces',
    label: 'Codeforces problems (open-r1/codeforces)',
    kind: 'source',
    signature: ['contest_id', 'description', 'input_format', 'output_format'],
    roles: {
      id: null,
      questionId: 'id',
      question: 'description',
      response: null,
      correct: null,
      passRate: null,
      difficulty: 'rating',
      source: null,
      split: 'split',
    },
    serves: 'open-r1/codeforces',
    hf: 'open-r1/codeforces',
    compose: 'codeforces',
  },
];

/** The preset of the source dataset that holds the questions of OCR2 rows with this `dataset` value. */
export const sourcePresetFor = (ocr2Dataset: string): PresetDef | undefined =>
  presets.find((p) => p.serves !== undefined && p.serves === ocr2Dataset.trim().toLowerCase());

/** Names a generic source commonly uses for each role, best first. */
const roleGuesses: Record<TraceRole, readonly string[]> = {
  id: ['id', 'uid', 'uuid', 'row_id'],
  questionId: ['question_id', 'problem_id', 'qid', 'task_id'],
  question: ['question', 'prompt', 'problem', 'input', 'instruction', 'question_content'],
  response: ['response', 'full_response', 'r1_generation', 'generation', 'completion', 'output', 'answer', 'trace'],
  correct: ['correct', 'is_correct', 'graded', 'judgement', 'verdict', 'passed'],
  passRate: ['pass_rate', 'passrate', 'pass_at_1'],
  difficulty: ['difficulty', 'level'],
  source: ['source', 'dataset', 'origin'],
  split: ['split'],
};

const byLower = (columns: readonly string[]): Map<string, string> => new Map(columns.map((c) => [c.toLowerCase(), c]));

/** Keep only roles whose column exists in the source; missing ones become null. */
export const fitRoles = (roles: RoleMapping, columns: readonly string[]): Record<TraceRole, string | null> => {
  const names = byLower(columns);
  const out = {} as Record<TraceRole, string | null>;
  for (const role of Object.keys(roleGuesses) as TraceRole[]) {
    const col = roles[role];
    out[role] = col ? (names.get(col.toLowerCase()) ?? null) : null;
  }
  return out;
};

export const guessRoles = (columns: readonly string[]): Record<TraceRole, string | null> => {
  const names = byLower(columns);
  const out = {} as Record<TraceRole, string | null>;
  const used = new Set<string>();
  for (const role of Object.keys(roleGuesses) as TraceRole[]) {
    const hit = roleGuesses[role].map((g) => names.get(g)).find((c) => c !== undefined && !used.has(c));
    out[role] = hit ?? null;
    if (hit) used.add(hit);
  }
  return out;
};

export interface Detection {
  readonly preset: DetectedPreset;
  readonly kind: DatasetKind;
  readonly roles: Record<TraceRole, string | null>;
}

/** Pick the preset for a source's columns (or apply the one the user asked for). */
export const detectPreset = (columns: readonly string[], requested: PresetName = 'auto'): Detection => {
  const names = byLower(columns);
  const chosen =
    requested === 'auto'
      ? presets.find((p) => p.signature.every((s) => names.has(s)))
      : presets.find((p) => p.name === requested);
  if (!chosen) return { preset: 'generic', kind: 'traces', roles: guessRoles(columns) };
  return { preset: chosen.name, kind: chosen.kind, roles: fitRoles(chosen.roles, columns) };
};

/** Words that mean a trace was judged right or wrong; anything else is a bad value. */
export const truthyWords = ['right', 'true', 'correct', 'pass', 'passed', 'yes', 'accepted', '1'] as const;
export const falsyWords = ['wrong', 'false', 'incorrect', 'fail', 'failed', 'no', 'rejected', '0'] as const;
