import './code.css';
import { useMemo } from 'react';
import { guessLanguage, tokenize, type TokenKind } from '../../shared/domain/highlight';

const classOf: Record<TokenKind, string | null> = {
  text: null,
  comment: 'c-com',
  string: 'c-str',
  number: 'c-num',
  keyword: 'c-kw',
  builtin: 'c-bi',
  call: 'c-fn',
  meta: 'c-meta',
};

/** Highlighted Python or C++ (guessed from the code, or the fence's language `lang`). */
export const Code = ({ code, lang = '', testId }: { code: string; lang?: string; testId?: string }) => {
  const tokens = useMemo(() => tokenize(code, guessLanguage(code, lang)), [code, lang]);
  return (
    <pre className="code" data-testid={testId}>
      {tokens.map((t, i) => {
        const cls = classOf[t.kind];
        return cls ? (
          <span key={i} className={cls}>
            {t.text}
          </span>
        ) : (
          t.text
        );
      })}
    </pre>
  );
};
