import { registerDataset } from '../data/registry';
import type { Session } from '../engine/engine';
import { DEMO_RELATION } from './traces';

export const DEMO_BENCHMARK = 'demo-lcb';
export const DEMO_BENCHMARK_RELATION = 'ds_demo_lcb';

const problems: readonly [string, string, string][] = [
  [
    'two-sum-target',
    'EASY',
    'Given an integer array nums and an integer target, return indices of the two numbers such that they add up to target. Each input has exactly one solution and you may not use the same element twice.',
  ],
  [
    'minimum-operations-binary',
    'MEDIUM',
    'You are given a binary string s. In one operation you may flip any prefix of s. Return the minimum number of operations required to make every character of s equal to zero.',
  ],
  [
    'festival-lanterns',
    'HARD',
    'Takahashi is decorating a street with lanterns placed at integer coordinates. Each lantern lights an interval around it. Determine the minimum number of additional lanterns required so that every point from 1 to L is lit at least twice.',
  ],
  [
    'count-beautiful-splits',
    'MEDIUM',
    'A split of the array nums into three non-empty parts is beautiful if the first part is a prefix of the second or the second is a prefix of the third. Return the number of beautiful splits.',
  ],
  [
    'snuke-grid-paint',
    'MEDIUM',
    'Snuke has an H by W grid where some squares are painted black. He may repaint one whole row or one whole column at a time. Find the fewest repaint operations after which no two black squares share an edge.',
  ],
  [
    'longest-alternating-run',
    'EASY',
    'Return the length of the longest contiguous run of the array in which adjacent elements alternate in parity, that is one is odd and the next is even or the other way around.',
  ],
  [
    'tree-diameter-queries',
    'HARD',
    'You are given a weighted tree with N vertices and Q queries. Each query adds a new leaf to a vertex. After each query print the diameter of the current tree modulo 998244353.',
  ],
  [
    'string-rotation-min',
    'MEDIUM',
    'For a lowercase string S find the lexicographically smallest string obtainable by rotating S any number of times and then reversing at most one substring of length K.',
  ],
  [
    'vending-coins',
    'EASY',
    'A vending machine accepts coins of values 1, 5, 10 and 50. Given the price P, output the minimum number of coins whose total equals P exactly.',
  ],
  [
    'bitwise-and-subarrays',
    'HARD',
    'Count the subarrays of nums whose bitwise AND equals k. The array has up to one hundred thousand elements, each below two to the power thirty.',
  ],
  [
    'robot-return-origin',
    'EASY',
    'A robot starts at the origin and follows a string of moves U, D, L and R. Decide whether it ends at the origin after performing all moves in order.',
  ],
  [
    'weighted-intervals-pick',
    'MEDIUM',
    'Choose a set of pairwise disjoint intervals from the given list to maximise the sum of their weights. Print that maximum sum.',
  ],
];

/**
 * A small LiveCodeBench-shaped benchmark for the demo: a dozen unrelated problems plus three
 * problems copied from demo training questions, so the contamination check has something to find.
 */
export const createDemoBenchmark = async (s: Session): Promise<number> => {
  await s.run(`CREATE OR REPLACE TABLE ${DEMO_BENCHMARK_RELATION} (
    question_id VARCHAR, question_title VARCHAR, question_content VARCHAR, difficulty VARCHAR, platform VARCHAR)`);
  const rows = problems.map(
    ([id, difficulty, text]) => [id, id.replaceAll('-', ' '), text, difficulty, 'leetcode'] as const,
  );
  await s.append(DEMO_BENCHMARK_RELATION, ['varchar', 'varchar', 'varchar', 'varchar', 'varchar'], rows);
  await s.run(
    `INSERT INTO ${DEMO_BENCHMARK_RELATION}
     SELECT 'leaked-' || question_id, 'leaked ' || question_id, question, difficulty, 'codeforces'
       FROM (SELECT DISTINCT question_id, question, difficulty FROM ${DEMO_RELATION} ORDER BY question_id LIMIT 3)`,
  );
  const n = Number((await s.all(`SELECT count(*) AS n FROM ${DEMO_BENCHMARK_RELATION}`))[0]?.['n'] ?? 0);
  await registerDataset(s, {
    name: DEMO_BENCHMARK,
    kind: 'benchmark',
    relation: DEMO_BENCHMARK_RELATION,
    storage: 'table',
    preset: 'livecodebench',
    roles: { id: 'question_id', question: 'question_content', difficulty: 'difficulty' },
    sources: ['(generated demo data)'],
    rows: n,
    isDemo: true,
    tokensEstimated: true,
  });
  return n;
};
