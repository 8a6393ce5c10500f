/** One point of a training-loss curve. */
export interface LossPoint {
  step: number;
  epoch: number | null;
  loss: number;
  lr: number | null;
}

const metricLine = /Step (\d+) \| (.*)$/;
const progressLine = /(\d+)\|(\d+)\|Loss: ([-+\d.eE]+|nan|inf)/g;

const parseMetrics = (text: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const pair of text.trim().split(/\s+/)) {
    const i = pair.indexOf(':');
    if (i <= 0) continue;
    const v = Number(pair.slice(i + 1));
    if (Number.isFinite(v)) out[pair.slice(0, i)] = v;
  }
  return out;
};

/**
 * The loss curve in a torchtune log: metric-logger lines (`Step N | loss:1.23 lr:8e-05 …`, as DiskLogger and
 * StdoutLogger write them) and, when there are none, the progress bar's `epoch|step|Loss: x`.
 * A step logged twice keeps its last value.
 */
export const parseTorchtuneLoss = (log: string): LossPoint[] => {
  const byStep = new Map<number, LossPoint>();
  for (const line of log.split(/\r?\n|\r/)) {
    const m = metricLine.exec(line);
    if (!m) continue;
    const metrics = parseMetrics(m[2] ?? '');
    const loss = metrics['loss'];
    if (loss === undefined) continue;
    const step = Number(m[1]);
    byStep.set(step, { step, epoch: metrics['epoch'] ?? null, loss, lr: metrics['lr'] ?? null });
  }
  if (byStep.size === 0) {
    for (const m of log.matchAll(progressLine)) {
      const loss = Number(m[3]);
      const step = Number(m[2]);
      if (Number.isFinite(loss)) byStep.set(step, { step, epoch: Number(m[1]), loss, lr: null });
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
};
