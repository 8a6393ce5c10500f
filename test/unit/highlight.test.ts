import { describe, expect, it } from 'vitest';
import { guessLanguage, tokenize } from '../../shared/domain/highlight';

const kinds = (code: string, lang: 'python' | 'cpp') =>
  tokenize(code, lang)
    .filter((t) => t.kind !== 'text')
    .map((t) => `${t.kind}:${t.text}`);

describe('code highlighting tokenizer', () => {
  it('tells Python comments, strings, numbers, keywords, built-ins and calls apart, losing no character', () => {
    const code = 'def f(a):  # sum\n    s = "x#y" + \'z\'\n    return sum(a) * 2.5 + g(3)\n';
    expect(kinds(code, 'python')).toEqual([
      'keyword:def',
      'call:f',
      'comment:# sum',
      'string:"x#y"',
      "string:'z'",
      'keyword:return',
      'builtin:sum',
      'number:2.5',
      'call:g',
      'number:3',
    ]);
    expect(
      tokenize(code, 'python')
        .map((t) => t.text)
        .join(''),
    ).toBe(code);
  });

  it('reads C++: includes, // and /* */ comments, keywords, std names', () => {
    const code =
      '#include <bits/stdc++.h>\nusing namespace std;\nint main() { /* go */ long long n; cin >> n; // read\n  cout << n * 2 << "\\n"; }';
    const k = kinds(code, 'cpp');
    expect(k[0]).toBe('meta:#include <bits/stdc++.h>');
    expect(k).toContain('comment:/* go */');
    expect(k).toContain('comment:// read');
    expect(k).toContain('keyword:long');
    expect(k).toContain('builtin:cout');
    expect(k).toContain('string:"\\n"');
    expect(
      tokenize(code, 'cpp')
        .map((t) => t.text)
        .join(''),
    ).toBe(code);
  });

  it('guesses the language from the fence or the code', () => {
    expect(guessLanguage('x = 1', 'cpp')).toBe('cpp');
    expect(guessLanguage('#include <vector>\nint main(){}')).toBe('cpp');
    expect(guessLanguage('import sys\nprint(1)')).toBe('python');
    expect(guessLanguage('', 'python3')).toBe('python');
  });

  it('survives an unterminated string or comment (a cut-off generation)', () => {
    expect(tokenize('print("abc', 'python').map((t) => t.kind)).toEqual(['builtin', 'text', 'string']);
    expect(tokenize('x /* never closed', 'cpp').at(-1)?.kind).toBe('comment');
  });
});
