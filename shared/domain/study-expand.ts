import type { Study } from './study';

/** One condition of a study: what a student is trained on (size 0: not trained, evaluation only). */
export interface StudyCondition {
  /** Stable id: `baseline`, `curve-<size>`, `<ablation>-<condition>`. */
  readonly id: string;
  /** `baseline`, `curve`, or the ablation's name. */
  readonly group: string;
  readonly dataset: string;
  readonly partition: string | null;
  readonly size: number;
  readonly stripThink: boolean;
  /** The condition whose trained checkpoint this one starts from (same student and seed). */
  readonly continueFrom: string | null;
}

/** A sampling recipe: every condition drawing from the same pool shares it (sizes are nested prefixes). */
export interface SubsetRecipe {
  /** Short hash of the recipe; the subset's name is `study-<partition|all>-<id>`. */
  readonly id: string;
  readonly name: string;
  readonly dataset: string;
  readonly partition: string | null;
  readonly samplingSeed: number;
  readonly maxPerQuestion: number | null;
  readonly stratify: 'difficulty' | 'source' | null;
  readonly sizes: number[];
}

/** An export recipe: a subset written with transforms (and, when overlong rows are handled, one student's tokenizer). */
export interface ExportRecipe {
  readonly id: string;
  readonly subset: string;
  readonly stripThink: boolean;
  readonly overlong: 'keep' | 'drop' | 'truncate';
  readonly maxSeqLen: number;
  /** The student whose tokenizer measures row length (null when overlong rows are kept). */
  readonly tokenizer: string | null;
  readonly sizes: number[];
}

export interface StudyCell {
  /** Stable id: `<condition>.<student key>.s<seed>`. */
  readonly id: string;
  readonly condition: string;
  readonly student: string;
  readonly studentKey: string;
  readonly seed: number;
  readonly size: number;
  /** Subset and export recipe ids (null for the baseline). */
  readonly subset: string | null;
  readonly export: string | null;
  /** The cell whose training checkpoint this cell starts from. */
  readonly baseCell: string | null;
  /** False for the baseline: evaluation only. */
  readonly trains: boolean;
}

export interface StudyExpansion {
  readonly conditions: StudyCondition[];
  readonly subsets: SubsetRecipe[];
  readonly exports: ExportRecipe[];
  readonly cells: StudyCell[];
}

/** A 53-bit string hash (cyrb53), as 10 hex digits: stable ids from recipe contents, the same on every machine. */
export const shortHash = (text: string): string => {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0').slice(-10);
};

/** A student's short key for ids: the model name after the organisation, lower case. */
export const studentKey = (student: string): string =>
  (student.split('/').pop() ?? student)
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'student';

const sizeLabel = (n: number): string => (n % 1000 === 0 ? `${n / 1000}k` : String(n));

/** Conditions in display order: baseline, the curve by size, then each ablation's conditions. */
export const conditionsOf = (study: Study): StudyCondition[] => {
  const dataset = study.teacher.datasets[0] ?? '';
  const out: StudyCondition[] = [];
  if (study.curve.baseline)
    out.push({
      id: 'baseline',
      group: 'baseline',
      dataset,
      partition: null,
      size: 0,
      stripThink: false,
      continueFrom: null,
    });
  for (const size of [...study.curve.sizes].sort((a, b) => a - b)) {
    out.push({
      id: `curve-${size}`,
      group: 'curve',
      dataset,
      partition: study.curve.partition,
      size,
      stripThink: study.transforms.strip_think,
      continueFrom: null,
    });
  }
  for (const a of study.ablations) {
    for (const c of a.conditions) {
      out.push({
        id: `${a.name}-${c.name}`,
        group: a.name,
        dataset: c.dataset ?? dataset,
        partition: c.partition,
        size: c.size,
        stripThink: c.strip_think || study.transforms.strip_think,
        continueFrom: a.continue_from,
      });
    }
  }
  return out;
};

/** A short human label for a condition: "1k", "correctness: correct 6k". */
export const conditionLabel = (c: StudyCondition): string =>
  c.group === 'baseline'
    ? 'baseline'
    : c.group === 'curve'
      ? sizeLabel(c.size)
      : `${c.group}: ${c.id.slice(c.group.length + 1)} ${sizeLabel(c.size)}`;

/**
 * Expand a study into cells (conditions × students × seeds) and the subsets and exports they need. Pure and
 * deterministic: ids come from names and recipe contents, never from positions, so editing one part of the
 * file leaves the other cells' ids (and their jobs) alone.
 */
export const expandStudy = (study: Study): StudyExpansion => {
  const conditions = conditionsOf(study);
  const subsets = new Map<string, SubsetRecipe>();
  const exportsById = new Map<string, ExportRecipe>();
  const subsetOf = (c: StudyCondition): SubsetRecipe => {
    const recipe = {
      dataset: c.dataset,
      partition: c.partition,
      samplingSeed: study.teacher.sampling_seed,
      maxPerQuestion: study.teacher.max_per_question,
      stratify: study.teacher.stratify,
    };
    const id = shortHash(JSON.stringify(recipe));
    const name = `study-${(c.partition ?? 'all').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40)}-${id}`;
    const s = subsets.get(id) ?? { id, name, ...recipe, sizes: [] };
    if (!s.sizes.includes(c.size)) s.sizes.push(c.size);
    subsets.set(id, s);
    return s;
  };
  const exportOf = (c: StudyCondition, subset: SubsetRecipe, student: string): ExportRecipe => {
    const { overlong, max_seq_len: maxSeqLen } = study.transforms;
    const recipe = {
      subset: subset.id,
      stripThink: c.stripThink,
      overlong,
      maxSeqLen: overlong === 'keep' ? 0 : maxSeqLen,
      tokenizer: overlong === 'keep' ? null : student,
    };
    const id = shortHash(JSON.stringify(recipe));
    const e = exportsById.get(id) ?? { ...recipe, id, sizes: [] };
    if (!e.sizes.includes(c.size)) e.sizes.push(c.size);
    exportsById.set(id, e);
    return e;
  };
  const cells: StudyCell[] = [];
  for (const c of conditions) {
    for (const student of study.students) {
      const key = studentKey(student);
      for (const seed of study.seeds) {
        const subset = c.size > 0 ? subsetOf(c) : null;
        const exp = subset ? exportOf(c, subset, student) : null;
        cells.push({
          id: `${c.id}.${key}.s${seed}`,
          condition: c.id,
          student,
          studentKey: key,
          seed,
          size: c.size,
          subset: subset?.id ?? null,
          export: exp?.id ?? null,
          baseCell: c.continueFrom ? `${c.continueFrom}.${key}.s${seed}` : null,
          trains: c.size > 0,
        });
      }
    }
  }
  for (const s of subsets.values()) s.sizes.sort((a, b) => a - b);
  for (const e of exportsById.values()) e.sizes.sort((a, b) => a - b);
  return { conditions, subsets: [...subsets.values()], exports: [...exportsById.values()], cells };
};
