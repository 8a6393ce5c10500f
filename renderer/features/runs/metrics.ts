/** A run's LiveCodeBench metrics as the Runs screens show them: the key in `run.metrics`, then its short label. */
export const runMetrics: readonly (readonly [key: string, label: string])[] = [
  ['pass@1', 'pass@1'],
  ['pass@1/easy', 'easy'],
  ['pass@1/medium', 'medium'],
  ['pass@1/hard', 'hard'],
  ['completion_rate', 'completion'],
  ['think_rate', 'think tags'],
];
