import { Fragment, useMemo, type ReactNode } from 'react';
import { Code } from '../../components/Code';
import { useReader } from './reader-store';

/** The words of a search, as the reader highlights them (two characters or more, case-insensitive). */
export const searchTerms = (search: string): string[] => [
  ...new Set(
    search
      .toLowerCase()
      .split(/\s+/)
      .map((w) => w.replace(/^["']|["']$/g, ''))
      .filter((w) => w.length >= 2),
  ),
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Text with every search hit wrapped in <mark>. */
export const Highlight = ({ text, terms }: { text: string; terms: readonly string[] }): ReactNode => {
  const re = useMemo(() => (terms.length ? new RegExp(`(${terms.map(escape).join('|')})`, 'gi') : null), [terms]);
  if (!re) return text;
  return text.split(re).map((part, i) =>
    i % 2 === 1 ? (
      <mark key={i} className="hit">
        {part}
      </mark>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
};

const hasHit = (text: string, terms: readonly string[]) => {
  const t = text.toLowerCase();
  return terms.some((w) => t.includes(w));
};

/**
 * The reasoning, paragraph by paragraph: folded, each shows its first line and its length; a paragraph holding a
 * search hit stays open; a click opens or folds one, `f` all of them.
 */
export const ThinkFolds = ({ think, rowKey, terms }: { think: string; rowKey: string; terms: readonly string[] }) => {
  const { folded, manual, toggleParagraph } = useReader();
  const paragraphs = useMemo(
    () =>
      think
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean),
    [think],
  );
  return (
    <div className="think-folds" data-testid="think-folds">
      {paragraphs.map((p, i) => {
        const key = `${rowKey}:${i}`;
        const open = manual[key] ?? (!folded || hasHit(p, terms));
        const first = p.split('\n')[0] ?? '';
        return (
          <div key={i} className={`para ${open ? 'open' : 'folded'}`} data-testid="think-para">
            <button
              className="para-toggle"
              onClick={() => toggleParagraph(key, !open)}
              aria-expanded={open}
              title={open ? 'Fold' : 'Unfold'}
            >
              {open ? '▾' : '▸'}
            </button>
            {open ? (
              <div className="para-text">
                <Highlight text={p} terms={terms} />
              </div>
            ) : (
              <div className="para-text folded-line" onClick={() => toggleParagraph(key, true)}>
                <Highlight text={first.length > 160 ? `${first.slice(0, 160)}…` : first} terms={terms} />
                <span className="muted"> · {p.length.toLocaleString()} chars</span>
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
};

/** Text with fenced code blocks highlighted; the last block is the final answer LiveCodeBench would run. */
export const Answer = ({ text, terms }: { text: string; terms: readonly string[] }) => {
  const parts = text.split(/(```[^\n]*\n[\s\S]*?\n```)/g);
  const lastCode = parts
    .map((p, i) => (p.startsWith('```') ? i : -1))
    .filter((i) => i >= 0)
    .pop();
  return (
    <>
      {parts.map((p, i) => {
        if (!p.startsWith('```'))
          return p.trim() ? (
            <p key={i} className="tv-text">
              <Highlight text={p.trim()} terms={terms} />
            </p>
          ) : null;
        const lang = /^```([^\n]*)/.exec(p)?.[1] ?? '';
        const body = p.replace(/^```[^\n]*\n/, '').replace(/\n```$/, '');
        return (
          <div
            key={i}
            className={i === lastCode ? 'tv-final' : ''}
            data-testid={i === lastCode ? 'final-answer' : undefined}
          >
            {i === lastCode && <div className="tv-label">final answer</div>}
            <Code code={body} lang={lang} />
          </div>
        );
      })}
    </>
  );
};
