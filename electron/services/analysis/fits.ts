import type { FitRequest, Series, SeriesFit } from '../../../shared/api';
import { fitLogLinear, sampleFit } from '../../../shared/analysis/fit';
import { valleyStats } from '../../../shared/analysis/valley';

/** Fit and valley statistics of one series. The fit uses every run (seeds apart), the valley the per-size means. */
export const fitSeries = (s: Series, range: FitRequest['range'], level: number): SeriesFit => {
  const observations = s.points.flatMap((p) => p.runValues.map((value) => ({ size: p.size, value })));
  const fitted = fitLogLinear(observations, range, level);
  const means = s.points.map((p) => ({ size: p.size, value: p.value }));
  const withBaseline = s.baseline ? [{ size: 0, value: s.baseline.value }, ...means] : means;
  const valley = valleyStats(withBaseline);
  return {
    key: s.key,
    label: s.label,
    fit: fitted.ok ? fitted.fit : null,
    fitProblem: fitted.ok ? null : fitted.reason,
    band: fitted.ok ? sampleFit(fitted.fit) : [],
    valley: valley.ok ? valley.stats : null,
    valleyProblem: valley.ok ? null : valley.reason,
  };
};
