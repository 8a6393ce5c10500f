import { pick, seededRandom } from '../../../shared/domain/random';
import { estimateTokens, parseTrace } from '../../../shared/domain/trace';
import { fitRoles, presets } from '../../../shared/domain/presets';
import { columnsOf, type AppendKind, type AppendValue, type Session } from '../engine/engine';
import { traceColumns } from '../workspace/schema';
import { registerDataset } from '../data/registry';
import { demoQuestion, demoResponse } from './text';
import { QUESTION_PREVIEW_CHARS } from '../data/import/build';

export const DEMO_DATASET = 'demo-ocr2';
export const DEMO_RELATION = 'ds_demo_ocr2';

const difficulties = ['EASY', 'MEDIUM', 'MEDIUM_HARD', 'HARD', 'VERY_HARD'] as const;
const sources = ['taco', 'apps', 'code_contests', 'open-r1/codeforces'] as const;
const kinds: readonly AppendKind[] = [
  'bigint',
  'varchar',
  'varchar',
  'varchar',
  'varchar',
  'boolean',
  'double',
  'varchar',
  'varchar',
  'varchar',
  'boolean',
  'boolean',
  'integer',
  'integer',
  'integer',
  'varchar',
  'integer',
  'varchar',
];

function* demoRows(count: number, seed: number): Generator<AppendValue[]> {
  const rand = seededRandom(seed);
  const questions = Math.round(count / 3.3);
  for (let i = 0; i < count; i++) {
    const q = Math.floor(rand() * questions);
    const qRand = seededRandom(seed * 7919 + q);
    const level = Math.min(4, Math.floor(qRand() * qRand() * 6.5));
    const difficulty = qRand() < 0.02 ? 'UNKNOWN_DIFFICULTY' : (difficulties[level] as string);
    const source = pick(qRand, sources);
    const question = demoQuestion(qRand, q);
    const complete = rand() > 0.03 + level * 0.01;
    const response = demoResponse(rand, 4 + Math.floor(rand() * (6 + level * 8)), complete);
    const correct = complete && rand() < 0.82 - level * 0.12;
    const passRate = correct ? 1 : Math.floor(rand() * 9) / 10;
    const parts = parseTrace(response);
    yield [
      i,
      `demo-${i.toString().padStart(6, '0')}`,
      `q${q.toString().padStart(5, '0')}`,
      question,
      response,
      correct,
      passRate,
      difficulty,
      source,
      'demo',
      parts.thinkOpen,
      parts.thinkClose,
      parts.thinkChars,
      parts.answerChars,
      response.length,
      parts.finalCode,
      estimateTokens(response),
      // what the trace table shows: the first characters (code points, as DuckDB's left() counts them)
      Array.from(question).slice(0, QUESTION_PREVIEW_CHARS).join(''),
    ];
  }
}

/** About 20K synthetic traces shaped like OpenCodeReasoning-2, always the same for the same seed. */
export const createDemoTraces = async (s: Session, count = 20_000, seed = 20_250_101): Promise<number> => {
  await s.run(`CREATE OR REPLACE TABLE ${DEMO_RELATION} (${traceColumns})`);
  const rows = await s.append(DEMO_RELATION, kinds, demoRows(count, seed));
  await registerDataset(s, {
    name: DEMO_DATASET,
    kind: 'traces',
    relation: DEMO_RELATION,
    storage: 'table',
    preset: 'ocr2',
    roles: fitRoles(presets.find((p) => p.name === 'ocr2')?.roles ?? {}, [...(await columnsOf(s, DEMO_RELATION))]),
    sources: ['(generated demo data)'],
    rows,
    isDemo: true,
    tokensEstimated: true,
  });
  return rows;
};
