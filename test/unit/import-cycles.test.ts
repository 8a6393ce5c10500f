import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../..');

const sources = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) return sources(rel);
    return /\.tsx?$/.test(name) && !/\.(test|d)\.ts$/.test(name) && !name.startsWith('vite.config') ? [rel] : [];
  });

/** The file a relative import names, as the bundler resolves it (x.ts, x.tsx, x/index.ts). */
const resolveImport = (from: string, spec: string): string | null => {
  const base = relative(root, resolve(root, dirname(from), spec))
    .split('\\')
    .join('/');
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
  }
  return null;
};

/** Every source file of shared/, electron/ and renderer/ with the files it imports (type-only imports included). */
const importGraph = (): Map<string, string[]> => {
  const graph = new Map<string, string[]>();
  for (const file of ['shared', 'electron', 'renderer'].flatMap(sources)) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = info.importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.'));
    graph.set(
      file,
      targets.map((s) => resolveImport(file, s) ?? `${file} → unresolved ${s}`),
    );
  }
  return graph;
};

/** Strongly connected components of more than one file (or a file importing itself): Tarjan's algorithm. */
const cycles = (graph: Map<string, string[]>): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)!.includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
};

/** Folder of a file at the grain the layers use: a shared/ or services/ area, a renderer feature. */
const area = (file: string): string => {
  const m =
    /^(shared\/[^/]+|electron\/services\/[^/.]+|electron\/[^/]+|renderer\/features\/[^/]+|renderer\/[^/.]+)/.exec(file);
  return m?.[1] ?? file;
};

describe('no import cycles', () => {
  const graph = importGraph();

  it('resolves every relative import', () => {
    const unresolved = [...graph.values()].flat().filter((t) => t.includes('unresolved'));
    expect(unresolved).toEqual([]);
    expect(graph.size).toBeGreaterThan(200);
  });

  it('has no cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no cycle between renderer features or between shared/ areas', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const a = area(file);
      if (!/^(renderer\/features|shared)\//.test(a)) continue;
      const set = new Set(folders.get(a) ?? []);
      for (const t of targets) if (area(t) !== a && /^(renderer\/features|shared)\//.test(area(t))) set.add(area(t));
      folders.set(a, [...set]);
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
