/**
 * What Valley reads out of one reasoning trace. The same definitions run in SQL at import
 * (electron/services/data) and here, in plain TypeScript, for the viewer and for tests.
 */
export interface TraceParts {
  /** An opening <think> tag is present. */
  thinkOpen: boolean;
  /** A closing </think> tag is present: the trace is complete. */
  thinkClose: boolean;
  /** Characters between <think> and </think> (to the end when unclosed). */
  thinkChars: number;
  /** Characters after </think>; 0 when unclosed. */
  answerChars: number;
  /** The last fenced code block, as LiveCodeBench extracts code; '' with fewer than two fence lines. */
  finalCode: string;
}

export const THINK_OPEN = '<think>';
export const THINK_CLOSE = '</think>';

/**
 * LiveCodeBench's rule: split into lines, find lines containing ```, and take the lines strictly
 * between the last two such lines.
 */
export const extractFinalCode = (text: string): string => {
  const lines = text.split('\n');
  const fences: number[] = [];
  lines.forEach((line, i) => {
    if (line.includes('```')) fences.push(i);
  });
  if (fences.length < 2) return '';
  const start = fences[fences.length - 2] as number;
  const end = fences[fences.length - 1] as number;
  return lines.slice(start + 1, end).join('\n');
};

const surrogates = /[\ud800-\udfff]/;

/**
 * Characters between UTF-16 offsets `from` and `to`, counted as Unicode code points: what DuckDB's
 * length() counts, so lengths computed at import in SQL and here agree (an emoji is one character).
 */
export const charCount = (text: string, from = 0, to = text.length): number => {
  if (to <= from) return 0;
  if (!surrogates.test(text)) return to - from;
  let n = to - from;
  for (let i = from + 1; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) n--;
  }
  return n;
};

export const parseTrace = (response: string): TraceParts => {
  const open = response.indexOf(THINK_OPEN);
  const close = response.indexOf(THINK_CLOSE);
  const thinkOpen = open >= 0;
  const thinkClose = close >= 0;
  const thinkStart = thinkOpen ? open + THINK_OPEN.length : 0;
  const thinkChars = thinkClose
    ? charCount(response, thinkStart, close)
    : thinkOpen
      ? charCount(response, thinkStart)
      : 0;
  const answerChars = thinkClose ? charCount(response, close + THINK_CLOSE.length) : 0;
  return { thinkOpen, thinkClose, thinkChars, answerChars, finalCode: extractFinalCode(response) };
};

/** A rough token count for when no tokenizer is configured (labelled as an estimate in the UI). */
export const estimateTokens = (text: string): number => Math.ceil(charCount(text) / 3.7);
