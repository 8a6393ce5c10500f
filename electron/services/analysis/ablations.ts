import { ValleyError, type AblationGroup, type AblationRequest, type Run } from '../../../shared/api';
import { ablationBars } from '../../../shared/analysis/ablation';

/**
 * Ablation runs against their reference. With a reference run id, every other run of the same student and size is
 * compared with it; otherwise each (student, size) with a run in the reference partition forms a group and the
 * student's other partitions at that size are its bars.
 */
export const buildAblations = (runs: readonly Run[], req: AblationRequest): AblationGroup[] => {
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
      student: ref.student, size: ref.size, metric: req.metric, referenceRunId: ref.id,
      referenceLabel: `${ref.partition} @ ${ref.size ?? '?'}`, bars,
    });
  }
  return groups;
};
