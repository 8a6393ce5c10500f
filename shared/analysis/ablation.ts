/** One bar of an ablation chart: a run's metric against the reference run's. */
export interface AblationBar {
  readonly runId: string;
  readonly label: string;
  readonly value: number;
  readonly reference: number;
  /** value − reference, in the metric's units. */
  readonly delta: number;
  /** (value − reference) / reference · 100; null when the reference is 0. */
  readonly relativePercent: number | null;
}

export interface AblationInput {
  readonly runId: string;
  readonly label: string;
  readonly value: number | undefined;
}

/** Relative improvement of each run over the reference value; runs without the metric are left out. */
export const ablationBars = (reference: number, runs: readonly AblationInput[]): AblationBar[] =>
  runs.flatMap((r) =>
    r.value === undefined || !Number.isFinite(r.value)
      ? []
      : [
          {
            runId: r.runId,
            label: r.label,
            value: r.value,
            reference,
            delta: r.value - reference,
            relativePercent: reference === 0 ? null : ((r.value - reference) / reference) * 100,
          },
        ],
  );
