const KEYWORDS = new Set(
  'def return if elif else for while in import from as class try except finally with lambda yield pass break continue and or not is None True False global nonlocal raise assert del print int str list dict set range len map input'.split(' '),
);
const TOKEN = /(#[^\n]*|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\b\d+(?:\.\d+)?\b|\b[A-Za-z_]\w*\b)/g;

/** A small highlighter for the Python (and C-like) code in traces: comments, strings, numbers, keywords. */
export const Code = ({ code }: { code: string }) => {
  const out: React.ReactNode[] = [];
  let last = 0;
  let k = 0;
  for (const m of code.matchAll(TOKEN)) {
    const t = m[0];
    const at = m.index ?? 0;
    if (at > last) out.push(code.slice(last, at));
    const cls = t.startsWith('#') ? 'c-com' : /^["']/.test(t) ? 'c-str' : /^\d/.test(t) ? 'c-num' : KEYWORDS.has(t) ? 'c-kw' : null;
    out.push(cls ? <span key={k++} className={cls}>{t}</span> : t);
    last = at + t.length;
  }
  if (last < code.length) out.push(code.slice(last));
  return <pre className="code">{out}</pre>;
};
