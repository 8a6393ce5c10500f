/** Metric keys Valley computes from LiveCodeBench results; runs may carry any others too. */
export const metricKeys = {
  pass1: 'pass@1',
  pass1Easy: 'pass@1/easy',
  pass1Medium: 'pass@1/medium',
  pass1Hard: 'pass@1/hard',
  completionRate: 'completion_rate',
  thinkRate: 'think_rate',
} as const;
export type KnownMetric = (typeof metricKeys)[keyof typeof metricKeys];

export const metricLabels: Record<KnownMetric, string> = {
  'pass@1': 'pass@1',
  'pass@1/easy': 'pass@1 (easy)',
  'pass@1/medium': 'pass@1 (medium)',
  'pass@1/hard': 'pass@1 (hard)',
  completion_rate: 'completion rate',
  think_rate: 'think-tag occurrence',
};

/** TACO's difficulty ladder, easiest first. Unknown labels are kept as they are, never dropped. */
export const tacoDifficulties = ['EASY', 'MEDIUM', 'MEDIUM_HARD', 'HARD', 'VERY_HARD'] as const;
export const lcbDifficulties = ['easy', 'medium', 'hard'] as const;
