import { ValleyError } from '../../../../shared/api';

export interface CurvePoint {
  step: number;
  metric: string;
  value: number;
}

const stepLine = /^\s*Step (\d+) \| (.*)$/;

/**
 * Every metric of a torchtune metric log, as DiskLogger writes it (`Step 12 | loss:0.91 lr:2e-05
 * tokens_per_second_per_gpu:1534.2`), or its JSON Lines form (`{"step": 12, "loss": 0.91, …}` or
 * `{"step": 12, "name": "loss", "value": 0.91}`). A step logged twice keeps its last value.
 */
export const parseTrainingLog = (file: string, text: string): CurvePoint[] => {
  const points = new Map<string, CurvePoint>();
  const put = (step: number, metric: string, value: number) => {
    if (Number.isFinite(value)) points.set(`${step}\u0000${metric}`, { step, metric, value });
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const m = stepLine.exec(line);
    if (m) {
      const step = Number(m[1]);
      for (const pair of (m[2] ?? '').trim().split(/\s+/)) {
        const at = pair.indexOf(':');
        if (at > 0) put(step, pair.slice(0, at), Number(pair.slice(at + 1)));
      }
      return;
    }
    if (line.trimStart().startsWith('{')) {
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (error) {
        throw new ValleyError('bad_input', `${file}, line ${i + 1}: malformed JSON: ${(error as Error).message}`, {
          file,
          line: i + 1,
        });
      }
      const rec = obj as Record<string, unknown>;
      const step = Number(rec['step'] ?? rec['global_step']);
      if (!Number.isFinite(step)) {
        throw new ValleyError('bad_input', `${file}, line ${i + 1}: $.step: expected a number`, {
          file,
          line: i + 1,
          field: '$.step',
        });
      }
      if (typeof rec['name'] === 'string' && typeof rec['value'] === 'number') put(step, rec['name'], rec['value']);
      else for (const [k, v] of Object.entries(rec)) if (k !== 'step' && typeof v === 'number') put(step, k, v);
    }
  });
  if (points.size === 0) {
    throw new ValleyError(
      'bad_input',
      `${file}: no training metrics found (expected torchtune lines like "Step 1 | loss:0.9 lr:2e-05" or JSON lines with "step")`,
      { file },
    );
  }
  return [...points.values()].sort((a, b) => a.step - b.step || a.metric.localeCompare(b.metric));
};
