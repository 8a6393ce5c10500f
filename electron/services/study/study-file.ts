import { isMap, isSeq, LineCounter, parseDocument, stringify, type Document } from 'yaml';
import { ValleyError } from '../../../shared/api/errors';
import { studySchema, type Study, type StudyInput } from '../../../shared/domain/study';
import { conditionsOf } from '../../../shared/domain/study-expand';

type Path = (string | number)[];

/** 1-based line of the deepest node along `path` that exists in the document (1 when none does). */
const lineOf = (doc: Document, counter: LineCounter, path: Path): number => {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
    if (n > 0) {
      // a key that exists but whose value is null has no range: use the pair's key
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[n - 1]);
        const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (keyRange) return counter.linePos(keyRange[0]).line;
      }
      if (isSeq(parent) && typeof path[n - 1] === 'number') continue;
    }
  }
  return 1;
};

const fieldName = (path: Path): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';

const fail = (file: string, doc: Document, counter: LineCounter, path: Path, message: string): never => {
  const line = lineOf(doc, counter, path);
  const field = fieldName(path);
  throw new ValleyError('bad_input', `${file}, line ${line}: ${field}: ${message}`, { file, line, field });
};

/** Checks the schema cannot express: unique names, `continue_from` naming a trained condition, known datasets. */
const crossCheck = (study: Study): { path: Path; message: string } | null => {
  const dup = <T>(xs: readonly T[]): number => xs.findIndex((x, i) => xs.indexOf(x) !== i);
  const checks: [Path, number, string][] = [
    [['students'], dup(study.students), 'is listed twice'],
    [['seeds'], dup(study.seeds), 'is listed twice'],
    [['curve', 'sizes'], dup(study.curve.sizes), 'is listed twice'],
    [['ablations'], dup(study.ablations.map((a) => a.name)), 'an ablation of this name is listed twice'],
  ];
  for (const [path, i, message] of checks) if (i >= 0) return { path: [...path, i], message };
  if (study.curve.sizes.length === 0 && !study.curve.baseline && study.ablations.length === 0) {
    return {
      path: ['curve', 'sizes'],
      message: 'the study has no condition: give curve sizes, the baseline or an ablation',
    };
  }
  const conditions = conditionsOf(study);
  const trained = new Set(conditions.filter((c) => c.size > 0).map((c) => c.id));
  for (const [ai, a] of study.ablations.entries()) {
    const names = a.conditions.map((c) => c.name);
    const d = dup(names);
    if (d >= 0)
      return {
        path: ['ablations', ai, 'conditions', d, 'name'],
        message: `"${names[d]}" is listed twice in this ablation`,
      };
    if (a.continue_from !== null) {
      if (!trained.has(a.continue_from)) {
        return {
          path: ['ablations', ai, 'continue_from'],
          message: `"${a.continue_from}" is not a trained condition of this study (have: ${[...trained].join(', ') || 'none'})`,
        };
      }
      const base = conditions.find((c) => c.id === a.continue_from);
      if (base?.group === a.name)
        return {
          path: ['ablations', ai, 'continue_from'],
          message: 'an ablation cannot continue from one of its own conditions',
        };
      if (base?.continueFrom)
        return {
          path: ['ablations', ai, 'continue_from'],
          message: `"${a.continue_from}" itself continues from "${base.continueFrom}": continue from a curve condition`,
        };
    }
    for (const [ci, c] of a.conditions.entries()) {
      if (c.dataset !== undefined && !study.teacher.datasets.includes(c.dataset)) {
        return {
          path: ['ablations', ai, 'conditions', ci, 'dataset'],
          message: `"${c.dataset}" is not one of teacher.datasets (${study.teacher.datasets.join(', ')})`,
        };
      }
    }
  }
  return null;
};

/** The keys the schema allows at an object path (for "unknown key" messages). */
const keysAt = (path: Path): Record<string, unknown> => {
  let schema: unknown = studySchema;
  const unwrap = (s: unknown): unknown => {
    let cur = s as {
      unwrap?: () => unknown;
      removeDefault?: () => unknown;
      _def?: { innerType?: unknown; type?: unknown };
    };
    for (let i = 0; i < 5; i++) {
      const inner = cur._def?.innerType;
      if (!inner) break;
      cur = inner as typeof cur;
    }
    return cur;
  };
  for (const p of path) {
    const s = unwrap(schema) as { shape?: Record<string, unknown>; element?: unknown };
    schema = typeof p === 'number' ? s.element : s.shape?.[p];
  }
  return (unwrap(schema) as { shape?: Record<string, unknown> }).shape ?? {};
};

/** Read a study file's text: YAML errors and schema errors name the file, the line and the field. */
export const parseStudy = (text: string, file = 'study.yaml'): Study => {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = counter.linePos(yamlError.pos[0]).line;
    throw new ValleyError(
      'bad_input',
      `${file}, line ${line}: not valid YAML: ${yamlError.message.split('\n')[0] ?? ''}`,
      { file, line },
    );
  }
  const parsed = studySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) throw new ValleyError('bad_input', `${file}: not a study`, { file });
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(keysAt(path)).join(', ');
      return fail(
        file,
        doc,
        counter,
        [...path, issue.keys[0] ?? ''],
        `unknown key${known ? ` (expected one of: ${known})` : ''}`,
      );
    }
    return fail(file, doc, counter, path, issue.message);
  }
  const problem = crossCheck(parsed.data);
  if (problem) return fail(file, doc, counter, problem.path, problem.message);
  return parsed.data;
};

/** Validate a study given as an object (from the dialog or the API), with the same checks as the file. */
export const checkStudy = (input: StudyInput | Study): Study =>
  parseStudy(formatStudy(input), `${(input as { name?: string }).name ?? 'study'}.yaml`);

/** The study as the file Valley writes: a header comment, then the keys in schema order. */
export const formatStudy = (study: StudyInput | Study): string =>
  `# Valley study: edit freely; Valley checks this file before it plans or runs anything.\n` +
  `# Cells are conditions × students × seeds; "valley study plan ${study.name}" shows what running it would do.\n` +
  stringify(study, { lineWidth: 0, nullStr: 'null' });
