import { describe, expect, it } from 'vitest';
import { ValleyError } from '../../shared/api/errors';
import { paperStudy, studySchema, type StudyInput } from '../../shared/domain/study';
import { checkStudy, formatStudy, parseStudy } from '../../electron/services/study/study-file';
import { conditionsOf, expandStudy } from '../../shared/domain/study-expand';
import { estimateStudy } from '../../shared/domain/study-plan';

const paper = () => studySchema.parse(paperStudy('ocr2'));

const errorOf = (f: () => unknown): ValleyError => {
  try {
    f();
  } catch (error) {
    if (error instanceof ValleyError) return error;
    throw error;
  }
  throw new Error('expected a ValleyError');
};

describe('expanding the seed paper’s study', () => {
  const x = expandStudy(paper());

  it('has the valley curve 1K ⊂ 10K ⊂ 30K × 2 students × seeds, plus the baseline and three ablations', () => {
    expect(x.conditions.map((c) => c.id)).toEqual([
      'baseline',
      'curve-1000',
      'curve-10000',
      'curve-30000',
      'correctness-correct',
      'correctness-incorrect',
      'difficulty-easy',
      'difficulty-hard',
      'structure-correct-nothink',
      'structure-incorrect-think',
      'structure-incorrect-nothink',
    ]);
    // 11 conditions × 2 students × 1 seed
    expect(x.cells).toHaveLength(22);
    expect(x.cells.filter((c) => !c.trains).map((c) => c.id)).toEqual([
      'baseline.qwen2.5-7b-instruct.s0',
      'baseline.llama-3.1-8b-instruct.s0',
    ]);
    const curve = x.cells.filter((c) => c.condition.startsWith('curve-') && c.student.startsWith('Qwen'));
    // nested: one subset recipe holds every curve size, so 1K is the first 1K rows of 10K and of 30K
    expect(new Set(curve.map((c) => c.subset)).size).toBe(1);
    const sub = x.subsets.find((s) => s.id === curve[0]?.subset);
    expect(sub).toMatchObject({ partition: null, sizes: [1000, 10000, 30000], dataset: 'ocr2' });
  });

  it('more seeds multiply the cells, but not the subsets or exports (every seed trains on the same nested subsets)', () => {
    const two = expandStudy(studySchema.parse({ ...paperStudy('ocr2'), seeds: [0, 1, 2] }));
    expect(two.cells).toHaveLength(66);
    expect(two.subsets).toEqual(x.subsets);
    expect(two.exports).toEqual(x.exports);
    expect(two.cells.map((c) => c.id)).toContain('curve-10000.llama-3.1-8b-instruct.s2');
  });

  it('correctness ablation: 6K correct vs 6K incorrect, each continuing from the same student and seed’s 30K cell', () => {
    const cells = x.cells.filter((c) => c.condition.startsWith('correctness-'));
    expect(cells.map((c) => [c.id, c.size, c.baseCell])).toEqual([
      ['correctness-correct.qwen2.5-7b-instruct.s0', 6000, 'curve-30000.qwen2.5-7b-instruct.s0'],
      ['correctness-correct.llama-3.1-8b-instruct.s0', 6000, 'curve-30000.llama-3.1-8b-instruct.s0'],
      ['correctness-incorrect.qwen2.5-7b-instruct.s0', 6000, 'curve-30000.qwen2.5-7b-instruct.s0'],
      ['correctness-incorrect.llama-3.1-8b-instruct.s0', 6000, 'curve-30000.llama-3.1-8b-instruct.s0'],
    ]);
    const correct = x.subsets.find((s) => s.id === cells[0]?.subset);
    const incorrect = x.subsets.find((s) => s.id === cells[2]?.subset);
    expect(correct?.partition).toBe('correct');
    expect(incorrect?.partition).toBe('incorrect');
    // every base cell is a real trained cell
    for (const c of x.cells.filter((c) => c.baseCell))
      expect(x.cells.find((b) => b.id === c.baseCell)?.trains).toBe(true);
  });

  it('difficulty ablation: 4K easy vs 4K hard from the base model', () => {
    const cells = x.cells.filter((c) => c.condition.startsWith('difficulty-'));
    expect(cells.map((c) => c.baseCell)).toEqual([null, null, null, null]);
    expect(cells.map((c) => x.subsets.find((s) => s.id === c.subset)?.partition)).toEqual([
      'easy',
      'easy',
      'hard',
      'hard',
    ]);
    expect(cells.every((c) => c.size === 4000)).toBe(true);
  });

  it('structure ablation: think tags stripped is another export of the same subset, and identical recipes are shared', () => {
    const byCond = (id: string) => x.cells.find((c) => c.condition === id && c.student.startsWith('Qwen'));
    const nothink = byCond('structure-correct-nothink');
    const correct = byCond('correctness-correct');
    const incThink = byCond('structure-incorrect-think');
    const incNothink = byCond('structure-incorrect-nothink');
    const incorrect = byCond('correctness-incorrect');
    expect(nothink?.subset).toBe(correct?.subset);
    expect(nothink?.export).not.toBe(correct?.export);
    expect(x.exports.find((e) => e.id === nothink?.export)?.stripThink).toBe(true);
    // 6K incorrect with tags: the very export the correctness ablation uses
    expect(incThink?.export).toBe(incorrect?.export);
    expect(incNothink?.export).not.toBe(incThink?.export);
    // the paper study drops overlong rows, so each student has its own exports (its own tokenizer)
    expect(x.exports.find((e) => e.id === nothink?.export)).toMatchObject({
      overlong: 'drop',
      maxSeqLen: 32768,
      tokenizer: 'Qwen/Qwen2.5-7B-Instruct',
    });
    // subsets: all (curve), correct, incorrect, easy, hard
    expect(x.subsets.map((s) => s.partition)).toEqual([null, 'correct', 'incorrect', 'easy', 'hard']);
    // exports per student: curve, correct, incorrect, easy, hard, correct-nothink, incorrect-nothink
    expect(x.exports).toHaveLength(14);
  });

  it('ids are stable: adding a size or a seed or an ablation leaves every existing cell’s id and recipe alone', () => {
    const more: StudyInput = {
      ...paperStudy('ocr2'),
      seeds: [0, 7],
      curve: { sizes: [30000, 1000, 100000, 10000], baseline: true, partition: null },
    };
    const y = expandStudy(studySchema.parse(more));
    for (const cell of x.cells) expect(y.cells.find((c) => c.id === cell.id)).toEqual(cell);
    expect(y.subsets.find((s) => s.partition === null)?.sizes).toEqual([1000, 10000, 30000, 100000]);
  });

  it('without overlong handling exports do not depend on the student', () => {
    const y = expandStudy(studySchema.parse({ ...paperStudy('ocr2'), transforms: { overlong: 'keep' } }));
    expect(y.exports).toHaveLength(7);
    expect(y.exports.every((e) => e.tokenizer === null)).toBe(true);
  });
});

describe('the study file', () => {
  it('round-trips through YAML', () => {
    const text = formatStudy(paperStudy('ocr2'));
    expect(text).toContain('continue_from: curve-30000');
    expect(parseStudy(text)).toEqual(paper());
  });

  it('names the line and the field of a schema error', () => {
    const text = formatStudy(paperStudy('ocr2')).replace('size: 4000', 'size: 4k');
    const line = text.split('\n').findIndex((l) => l.includes('size: 4k')) + 1;
    const e = errorOf(() => parseStudy(text, 'studies/v.yaml'));
    expect(e.details).toMatchObject({ file: 'studies/v.yaml', line, field: 'ablations[1].conditions[0].size' });
    expect(e.message).toMatch(
      new RegExp(`^studies/v.yaml, line ${line}: ablations\\[1\\]\\.conditions\\[0\\]\\.size: `),
    );
  });

  it('names unknown keys, YAML syntax errors, and a continue_from that is not a trained condition', () => {
    const base = formatStudy(paperStudy('ocr2'));
    const unknown = errorOf(() => parseStudy(base.replace('seeds:', 'sedes: [1]\nseeds:')));
    const sedes = base.split('\n').findIndex((l) => l.startsWith('seeds:')) + 1;
    expect(unknown.message).toMatch(
      new RegExp(`line ${sedes}: sedes: unknown key \\(expected one of: name, description, teacher`),
    );
    const deep = errorOf(() => parseStudy(base.replace('sampling_seed:', 'samplng_seed: 1\n  sampling_seed:')));
    expect(deep.details).toMatchObject({ field: 'teacher.samplng_seed' });
    expect(deep.message).toMatch(/expected one of: datasets, sampling_seed/);
    const syntax = errorOf(() => parseStudy(base.replace('students:', 'students: [a\n')));
    expect(syntax.message).toMatch(/not valid YAML/);
    const bad = base.replace('continue_from: curve-30000', 'continue_from: curve-20000');
    const line = bad.split('\n').findIndex((l) => l.includes('curve-20000')) + 1;
    const e = errorOf(() => parseStudy(bad));
    expect(e.details).toMatchObject({ line, field: 'ablations[0].continue_from' });
    expect(e.message).toMatch(/"curve-20000" is not a trained condition/);
    const baseline = errorOf(() => parseStudy(base.replace('continue_from: curve-30000', 'continue_from: baseline')));
    expect(baseline.message).toMatch(/"baseline" is not a trained condition/);
  });

  it('refuses duplicates and an empty study', () => {
    expect(errorOf(() => checkStudy({ ...paperStudy('ocr2'), seeds: [0, 0] })).details).toMatchObject({
      field: 'seeds[1]',
    });
    expect(
      errorOf(() => checkStudy({ ...paperStudy('ocr2'), curve: { sizes: [], baseline: false }, ablations: [] }))
        .message,
    ).toMatch(/no condition/);
  });
});

describe('the plan', () => {
  it('counts jobs, GPU-hours from tokens × epochs ÷ throughput, and disk', () => {
    const study = studySchema.parse({
      ...paperStudy('ocr2'),
      ablations: [paperStudy('ocr2').ablations?.[0]].filter((a) => a !== undefined),
      curve: { sizes: [1000, 10000], baseline: true, partition: null },
      estimate: { tokens_per_gpu_second: 1000, epochs: 5, eval_gpu_hours: 1, checkpoints_kept: 1 },
    });
    const x = expandStudy(study);
    // 2 students × (baseline + 1K + 10K + correct + incorrect)
    expect(conditionsOf(study)).toHaveLength(5);
    // every row 1000 tokens and 4000 bytes
    const est = estimateStudy(study, x, (_s, size) => ({ tokens: size * 1000, bytes: size * 4000 }));
    expect(est).toMatchObject({ cells: 10, trainJobs: 8, evalJobs: 10, jobs: 18, unknownVolumes: [] });
    const trainedRows = 2 * (1000 + 10000 + 6000 + 6000);
    expect(est.trainTokens).toBe(trainedRows * 1000 * 5);
    expect(est.trainGpuHours).toBeCloseTo((trainedRows * 1000 * 5) / 1000 / 3600, 6);
    expect(est.gpuHours).toBeCloseTo(est.trainGpuHours + 10, 6);
    // exports per student (each student's tokenizer): curve 1K + 10K, correct 6K, incorrect 6K
    expect(est.dataBytes).toBe(2 * (1000 + 10000 + 6000 + 6000) * 4000);
    expect(est.checkpointBytes).toBeCloseTo(4 * (7.62e9 + 8.03e9) * 2, -3);
  });
});
