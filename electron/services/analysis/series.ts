import type { Run, Series, SeriesPoint, SeriesQuery } from '../../../shared/api';
import { binomialError, bootstrapError } from '../../../shared/analysis/errors';
import type { Engine } from '../engine/engine';
import { listRuns } from '../runs/store';
import { loadProblemScores, pooledScores } from './problems';
import { canonicalStudent } from '../../../shared/domain/students';

type ScoreMap = Map<string, Map<string, number>>;

const pointFrom = (
  size: number,
  runs: readonly Run[],
  metric: string,
  query: SeriesQuery,
  scores: ScoreMap,
): SeriesPoint | null => {
  const withMetric = runs.filter((r) => Number.isFinite(r.metrics[metric]));
  if (withMetric.length === 0) return null;
  const value = withMetric.reduce((s, r) => s + (r.metrics[metric] as number), 0) / withMetric.length;
  const runIds = withMetric.map((r) => r.id);
  const pooled = pooledScores(scores, runIds);
  const problems = pooled.length > 0 ? pooled.length : Math.max(...withMetric.map((r) => r.problems));
  let error = null;
  const wantBootstrap = query.errors === 'bootstrap' || (query.errors === 'auto' && pooled.length > 0);
  if (wantBootstrap && pooled.length > 0) {
    error = bootstrapError(pooled, query.resamples, query.seed, query.level);
  } else if (query.errors !== 'none' && value >= 0 && value <= 1) {
    error = binomialError(value, problems, query.level);
  }
  return { size, value, runIds, runValues: withMetric.map((r) => r.metrics[metric] as number), problems, error };
};

const seriesLabel = (student: string, partition: string, students: number, partitions: number): string =>
  partitions <= 1 ? student : students <= 1 ? partition : `${student} · ${partition}`;

/** Runs grouped into scaling series: one per (student, partition), trained sizes as points, the baseline apart. */
export const buildSeries = async (engine: Engine, query: SeriesQuery, allRuns?: Run[]): Promise<Series[]> => {
  const runs = (allRuns ?? (await listRuns(engine))).filter(
    (r) => query.study === null || r.labels['study'] === query.study,
  );
  // one series per student whatever the spelling (Qwen/Qwen2.5-7B-Instruct and Qwen2.5-7B-Instruct are one model)
  const same = (a: string, b: string) => canonicalStudent(a) === canonicalStudent(b);
  const pick = (r: Run) =>
    (query.students.length === 0 || query.students.some((s) => same(s, r.student))) &&
    (query.partitions.length === 0 || query.partitions.includes(r.partition)) &&
    r.size !== null;
  const chosen = runs.filter(pick);
  const groups = new Map<string, Run[]>();
  for (const r of chosen) {
    const key = `${canonicalStudent(r.student)}\u0000${r.partition}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const baselineRuns = (student: string, own: Run[]): Run[] => {
    const inSeries = own.filter((r) => r.size === 0);
    if (inSeries.length > 0) return inSeries;
    const ofStudent = runs.filter((r) => same(r.student, student) && r.size === 0);
    const all = ofStudent.filter((r) => r.partition === 'all');
    return all.length > 0 ? all : ofStudent;
  };
  const needed = new Set<string>();
  for (const [, g] of groups) {
    g.forEach((r) => needed.add(r.id));
    baselineRuns(g[0]?.student ?? '', g).forEach((r) => needed.add(r.id));
  }
  const scores =
    query.errors === 'none' || query.errors === 'binomial'
      ? new Map()
      : await loadProblemScores(engine, [...needed], query.metric);
  const trainedSizes = (g: Run[]) =>
    [...new Set(g.map((r) => r.size as number).filter((s) => s > 0))].sort((a, b) => a - b);
  const kept = [...groups.values()].filter((g) => trainedSizes(g).length >= query.minSizes);
  const studentCount = new Set(kept.map((g) => canonicalStudent(g[0]?.student ?? ''))).size;
  const partitionCount = new Set(kept.map((g) => g[0]?.partition)).size;
  const out: Series[] = [];
  for (const g of kept) {
    const first = g[0] as Run;
    const sizes = trainedSizes(g);
    const points = sizes.flatMap((size) => {
      const p = pointFrom(
        size,
        g.filter((r) => r.size === size),
        query.metric,
        query,
        scores,
      );
      return p ? [p] : [];
    });
    if (points.length === 0) continue;
    out.push({
      key: `${first.student}/${first.partition}`,
      label: seriesLabel(first.student, first.partition, studentCount, partitionCount),
      student: first.student,
      partition: first.partition,
      metric: query.metric,
      points,
      baseline: pointFrom(0, baselineRuns(first.student, g), query.metric, query, scores),
    });
  }
  return out.sort((a, b) => a.student.localeCompare(b.student) || a.partition.localeCompare(b.partition));
};
