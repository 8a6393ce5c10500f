/**
 * What an export transform does to one assistant answer. OCR2's `r1_generation` is `<think>…</think>` followed by
 * the answer; distilled students' outputs may lack the opening tag (only `</think>`).
 */
export type StripOutcome = 'stripped' | 'no-tags' | 'unclosed';

/** Remove the reasoning (`<think>…</think>`, or everything up to a lone `</think>`) and keep the answer after it. */
export const stripThink = (text: string): { text: string; outcome: StripOutcome } => {
  const close = text.lastIndexOf('</think>');
  if (close >= 0) return { text: text.slice(close + '</think>'.length).replace(/^\s+/, ''), outcome: 'stripped' };
  const open = text.indexOf('<think>');
  // an opened, never closed reasoning: there is no answer to keep
  if (open >= 0) return { text: text.slice(0, open).trimEnd(), outcome: 'unclosed' };
  return { text, outcome: 'no-tags' };
};

/** Tokens the chat template adds around one user turn and one assistant turn (role headers, end-of-turn markers). */
export const CHAT_TEMPLATE_TOKENS = 16;

/** The manifest's record of an export's transforms and what they did. */
export interface TransformRecord {
  stripThink: boolean;
  overlong: 'keep' | 'drop' | 'truncate';
  maxSeqLen: number | null;
  tokenizer: { student: string; path: string; sha256: string } | null;
  files: {
    path: string;
    rowsIn: number;
    rowsOut: number;
    thinkStripped: number;
    noThinkTags: number;
    /** Rows whose reasoning never closed: no answer is left, so they are dropped. */
    unclosedDropped: number;
    overlongDropped: number;
    truncated: number;
    maxTokens: number;
  }[];
}
