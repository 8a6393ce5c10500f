import { useState } from 'react';
import { toErrorValue, type ApiErrorValue, type Run } from '../../../shared/api';
import { useRuns } from '../runs/store';
import { DemoOffer, ErrorBox } from './ImportDialog';
import { useFiles } from '../shell/files-store';
import { useData } from './store';
import { useEscape } from '../../components/useEscape';
import { pct } from '../../../shared/analysis/format';

const standard = ['student', 'size', 'partition', 'seed'] as const;

/** One imported run with its labels editable in place (runs.update). */
const RunRow = ({ run, onSaved }: { run: Run; onSaved: (r: Run) => void }) => {
  const [labels, setLabels] = useState<Record<string, string>>({
    student: run.student,
    size: run.size === null ? '' : String(run.size),
    partition: run.partition,
    seed: run.seed === null ? '' : String(run.seed),
  });
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    try {
      const saved = await useRuns.getState().updateLabels(run.id, labels);
      setError(null);
      onSaved(saved);
    } catch (e) {
      setError(toErrorValue(e).message);
    }
  };
  return (
    <tr>
      <td title={run.source}>{run.name}</td>
      {standard.map((k) => (
        <td key={k}>
          <input
            className="label-input"
            value={labels[k] ?? ''}
            onChange={(e) => setLabels({ ...labels, [k]: e.target.value })}
            aria-label={`${k} of ${run.name}`}
          />
        </td>
      ))}
      <td className="num">{pct(run.metrics['pass@1'])}</td>
      <td className="num">
        {pct(run.metrics['pass@1/easy'])} / {pct(run.metrics['pass@1/medium'])} / {pct(run.metrics['pass@1/hard'])}
      </td>
      <td className="num">{pct(run.metrics['completion_rate'])}</td>
      <td>
        <button onClick={() => void save()}>Save</button>
        {error && <div className="import-error small">{error}</div>}
      </td>
    </tr>
  );
};

export const ResultsDialog = () => {
  const { open } = useData();
  const [pathsText, setPaths] = useState('');
  const [labels, setLabels] = useState<Record<string, string>>({ student: '', size: '', partition: '', seed: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const given = Object.fromEntries(Object.entries(labels).filter(([, v]) => v.trim() !== ''));
      const paths = pathsText
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      setRuns(await useData.getState().importResults(paths, given));
    } catch (e) {
      setError(toErrorValue(e));
    } finally {
      setBusy(false);
    }
  };
  useEscape(() => open(null));
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && open(null)}>
      <div className="dialog import-dialog" role="dialog" aria-label="Import results" data-testid="results-dialog">
        <div className="dialog-head">
          <h2>Import results as runs</h2>
          <button className="link" onClick={() => open(null)}>
            Close
          </button>
        </div>
        <DemoOffer />
        <label className="field">
          <span>
            LiveCodeBench *_eval_all.json / *_eval.json, torchtune logs, or a CSV with
            model,size,partition,seed,metric,value
          </span>
          <textarea rows={2} value={pathsText} onChange={(e) => setPaths(e.target.value)} data-testid="results-paths" />
        </label>
        <button
          onClick={() =>
            void useFiles
              .getState()
              .pick({ title: 'Choose results files', directory: false, multiple: true })
              .then((p) => p && setPaths(p.join('\n')))
          }
        >
          Browse files…
        </button>
        <div className="row options">
          {standard.map((k) => (
            <label key={k}>
              {k}{' '}
              <input
                value={labels[k] ?? ''}
                onChange={(e) => setLabels({ ...labels, [k]: e.target.value })}
                data-testid={`results-label-${k}`}
              />
            </label>
          ))}
          <button
            className="primary push"
            disabled={busy || !pathsText.trim()}
            onClick={() => void run()}
            data-testid="results-start"
          >
            Import
          </button>
        </div>
        {error && <ErrorBox error={error} />}
        {runs.length > 0 && (
          <table className="data" data-testid="results-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Student</th>
                <th>Size</th>
                <th>Partition</th>
                <th>Seed</th>
                <th className="num">pass@1</th>
                <th className="num">easy / medium / hard</th>
                <th className="num">completed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <RunRow
                  key={r.id}
                  run={r}
                  onSaved={(saved) => setRuns(runs.map((x) => (x.id === saved.id ? saved : x)))}
                />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
};
