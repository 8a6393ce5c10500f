/**
 * A small tokenizer for the code in traces and model outputs (Python and C++): enough to tell comments, strings,
 * numbers, keywords, built-ins and calls apart. Pure, so the renderer and tests share it.
 */
export type CodeLanguage = 'python' | 'cpp';
export type TokenKind = 'text' | 'comment' | 'string' | 'number' | 'keyword' | 'builtin' | 'call' | 'meta';
export interface CodeToken {
  kind: TokenKind;
  text: string;
}

const words = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

const PY_KEYWORDS =
  words(`and as assert async await break class continue def del elif else except finally for from global if
  import in is lambda nonlocal not or pass raise return try while with yield None True False match case`);
const PY_BUILTINS =
  words(`print input int str float list dict set tuple range len map filter zip sorted min max sum abs any all
  enumerate reversed open bool ord chr isinstance super object type iter next pow divmod round self cls`);
const CPP_KEYWORDS =
  words(`auto break case catch class const constexpr continue default delete do else enum explicit extern
  false for friend goto if inline mutable namespace new noexcept nullptr operator private protected public register return
  sizeof static static_cast struct switch template this throw true try typedef typename union using virtual void volatile while
  int long short char bool float double unsigned signed size_t`);
const CPP_BUILTINS =
  words(`std cin cout cerr endl vector string map unordered_map set unordered_set pair queue priority_queue
  deque stack array sort min max swap abs printf scanf getline make_pair push_back emplace_back begin end size`);

const PY_TOKEN =
  /(#[^\n]*)|([rbuf]{0,2}"""[\s\S]*?(?:"""|$)|[rbuf]{0,2}'''[\s\S]*?(?:'''|$)|[rbuf]{0,2}"(?:\\.|[^"\\\n])*"?|[rbuf]{0,2}'(?:\\.|[^'\\\n])*'?)|(\b(?:0[xob][\da-f_]+|\d[\d_]*(?:\.\d*)?(?:e[+-]?\d+)?j?)\b)|(@[A-Za-z_][\w.]*)|([A-Za-z_]\w*)/gi;
const CPP_TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?)|(\b(?:0x[\da-f']+|\d[\d']*(?:\.\d*)?(?:e[+-]?\d+)?[ulf]*)\b)|(^[ \t]*#[^\n]*)|([A-Za-z_]\w*)/gim;

/** C++ when the code says so (includes, braces and semicolons, std::), else Python (LiveCodeBench's default). */
export const guessLanguage = (code: string, hint = ''): CodeLanguage => {
  const h = hint.trim().toLowerCase();
  if (/^(c\+\+|cpp|cc|cxx|c|h|hpp)$/.test(h)) return 'cpp';
  if (/^(py|python|python3)$/.test(h)) return 'python';
  return /#include\s*[<"]|\bstd::|\bint\s+main\s*\(|;\s*\n.*[{}]/.test(code) ? 'cpp' : 'python';
};

export const tokenize = (code: string, language: CodeLanguage): CodeToken[] => {
  const out: CodeToken[] = [];
  const re = new RegExp(language === 'cpp' ? CPP_TOKEN : PY_TOKEN);
  const keywords = language === 'cpp' ? CPP_KEYWORDS : PY_KEYWORDS;
  const builtins = language === 'cpp' ? CPP_BUILTINS : PY_BUILTINS;
  let last = 0;
  const push = (kind: TokenKind, text: string) => {
    const prev = out[out.length - 1];
    if (prev && prev.kind === kind && kind === 'text') prev.text += text;
    else out.push({ kind, text });
  };
  for (const m of code.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) push('text', code.slice(last, at));
    const t = m[0];
    if (t === '') continue;
    if (m[1] !== undefined) push('comment', t);
    else if (m[2] !== undefined) push('string', t);
    else if (m[3] !== undefined) push('number', t);
    else if (m[4] !== undefined) push('meta', t);
    else if (keywords.has(t)) push('keyword', t);
    else if (builtins.has(t)) push('builtin', t);
    else if (code[at + t.length] === '(') push('call', t);
    else push('text', t);
    last = at + t.length;
  }
  if (last < code.length) push('text', code.slice(last));
  return out;
};
