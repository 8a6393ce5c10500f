import { ValleyError, type AblationGroup, type AblationRequest, type Run } from '../../../shared/api';
import { ablationBars } from '../../../shared/analysis/ablation';

/**
 * A study's ablations (runs labelled `study`, `group`, `cell`, `base cell`): per ablation and student, the
 * conditions' runs are the bars, against the run of the cell they continued from (same seed), else the study's
 * baseline of that student. Several seeds give several bars of one condition.
 */
const studyAblations = (runs: readonly Run[], req: AblationRequest, study: string): AblationGroup[] => {
  const mine = runs.filter(
    (r) => r.labels['study'] === study && (req.students.length === 0 || req.students.includes(r.student)),
  );
  const byCell = new Map(mine.map((r) => [r.labels['cell'] ?? '', r]));
  const groups = new Map<string, Run[]>();
  for (const r of mine) {
    const g = r.labels['group'] ?? '';
    if (g === '' || g === 'curve' || g === 'baseline' || r.metrics[req.metric] === undefined) continue;
    const key = `${g}\u0000${r.student}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: AblationGroup[] = [];
  for (const [key, members] of groups) {
    const first = members[0] as Run;
    const ref =
      byCell.get(first.labels['base cell'] ?? '') ??
      mine.find((r) => r.student === first.student && r.labels['group'] === 'baseline');
    const refValue = ref?.metrics[req.metric];
    if (!ref || refValue === undefined) continue;
    const label = (r: Run) => `${r.labels['condition label'] ?? r.partition}${r.seed !== null ? ` s${r.seed}` : ''}`;
    out.push({
      student: first.student,
      size: first.size,
      metric: req.metric,
      referenceRunId: ref.id,
      referenceLabel: `${key.split('\u0000')[0] ?? ''} vs ${ref.labels['condition label'] ?? ref.partition}`,
      bars: ablationBars(
        refValue,
        members.map((r) => ({ runId: r.id, label: label(r), value: r.metrics[req.metric] })),
      ),
    });
  }
  return out.sort((a, b) => a.referenceLabel.localeCompare(b.referenceLabel) || a.student.localeCompare(b.student));
};

/**
 * Ablation runs against their reference. With a reference run id, every other run of the same student and size is
 * compared with it; otherwise each (student, size) with a run in the reference partition forms a group and the
 * student's other partitions at that size are its bars.
 */
export const buildAblations = (runs: readonly Run[], req: AblationRequest): AblationGroup[] => {
  if (req.study !== null) return studyAblations(runs, req, req.study);
  const pool = runs.filter((r) => req.students.length === 0 || req.students.includes(r.student));
  let references: Run[];
  if (req.referenceRunId !== null) {
    const ref = runs.find((r) => r.id === req.referenceRunId);
    if (!ref) throw new ValleyError('not_found', `No run with id "${req.referenceRunId}"`, { field: 'referenceRunId' });
    references = [ref];
  } else {
    references = pool.filter((r) => r.partition === req.referencePartition && r.size !== null && r.size > 0);
  }
  const groups: AblationGroup[] = [];
  for (const ref of references) {
    const refValue = ref.metrics[req.metric];
    if (refValue === undefined) continue;
    const others = pool.filter(
      (r) => r.id !== ref.id && r.student === ref.student && r.size === ref.size && r.partition !== ref.partition,
    );
    if (others.length === 0) continue;
    const bars = ablationBars(
      refValue,
      others.map((r) => ({ runId: r.id, label: r.partition, value: r.metrics[req.metric] })),
    );
    groups.push({
      student: ref.student,
      size: ref.size,
      metric: req.metric,
      referenceRunId: ref.id,
      referenceLabel: `${ref.partition} @ ${ref.size ?? '?'}`,
      bars,
    });
  }
  return groups;
};
