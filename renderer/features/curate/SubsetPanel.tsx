import { useState } from 'react';
import type { SubsetPlan } from '../../../shared/api';
import { useTasks } from '../tasks/store';
import { useCurate } from './store';

/** Build nested subsets (sizes, seed, stratification, dedup) from a partition or the current filter, and export them. */
export const SubsetPanel = () => {
  const { dataset, filter, partitions, subsets, exporting } = useCurate();
  const [name, setName] = useState('study');
  const [sizes, setSizes] = useState('1000, 10000');
  const [seed, setSeed] = useState('0');
  const [stratify, setStratify] = useState<'' | 'difficulty' | 'source'>('');
  const [dedup, setDedup] = useState('');
  const [from, setFrom] = useState<string>('(current filter)');
  const [plan, setPlan] = useState<SubsetPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formats, setFormats] = useState({ torchtune: true, parquet: true });
  // the export runs as a background task, followed by its id
  const task = useTasks((s) => (exporting ? s.tasks.find((t) => t.id === exporting.task) : undefined));
  const manifest = exporting?.manifest ?? null;
  if (!dataset) return null;
  const spec = () => ({
    dataset,
    partition: from === '(current filter)' ? null : from,
    filter: from === '(current filter)' ? filter : { clauses: [], search: '', partition: null },
    sizes: sizes
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number),
    seed: Number(seed) || 0,
    stratify: stratify || null,
    maxPerQuestion: dedup ? Number(dedup) : null,
  });
  const check = async () => {
    try {
      setPlan(await useCurate.getState().planSubset(spec()));
      setError(null);
    } catch (e) {
      setPlan(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const save = async () => {
    try {
      const s = await useCurate.getState().saveSubset(name, spec());
      setPlan(s.plan);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const exportSubset = (subset: string) =>
    useCurate.getState().exportSubset(
      subset,
      (['torchtune', 'parquet'] as const).filter((f) => formats[f]),
    );
  const strata = plan ? [...new Set(plan.sizes.flatMap((s) => Object.keys(s.strata)))] : [];
  return (
    <div className="panel" data-testid="subset-panel">
      <div className="form-grid">
        <label>
          name <input value={name} onChange={(e) => setName(e.target.value)} data-testid="subset-name" />
        </label>
        <label>
          from
          <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="subset-from">
            <option>(current filter)</option>
            {partitions.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} ({p.size})
              </option>
            ))}
          </select>
        </label>
        <label>
          sizes <input value={sizes} onChange={(e) => setSizes(e.target.value)} data-testid="subset-sizes" />
        </label>
        <label>
          seed <input value={seed} onChange={(e) => setSeed(e.target.value)} size={6} />
        </label>
        <label>
          stratify
          <select value={stratify} onChange={(e) => setStratify(e.target.value as typeof stratify)}>
            <option value="">none</option>
            <option value="difficulty">difficulty</option>
            <option value="source">source</option>
          </select>
        </label>
        <label>
          per question{' '}
          <input
            value={dedup}
            placeholder="all"
            onChange={(e) => setDedup(e.target.value)}
            size={4}
            title="Keep at most k traces per question (1 = one per question)"
          />
        </label>
      </div>
      <div className="row">
        <button onClick={() => void check()}>Check</button>
        <button onClick={() => void save()} data-testid="save-subset">
          Save subset
        </button>
      </div>
      {error && (
        <p className="error-text" data-testid="subset-error">
          {error}
        </p>
      )}
      {plan && (
        <table className="data compact" data-testid="subset-plan">
          <thead>
            <tr>
              <th className="num">size</th>
              <th className="num">questions</th>
              {strata.map((s) => (
                <th key={s} className="num">
                  {s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {plan.sizes.map((s) => (
              <tr key={s.size}>
                <td className="num">{s.size.toLocaleString()}</td>
                <td className="num">{s.questions.toLocaleString()}</td>
                {strata.map((k) => (
                  <td key={k} className="num">
                    {s.strata[k] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <caption className="muted">
            {plan.available.toLocaleString()} traces available; every smaller size is inside every larger one
          </caption>
        </table>
      )}
      <h3>Saved subsets</h3>
      <div className="row">
        <label>
          <input
            type="checkbox"
            checked={formats.torchtune}
            onChange={(e) => setFormats({ ...formats, torchtune: e.target.checked })}
          />{' '}
          torchtune JSONL
        </label>
        <label>
          <input
            type="checkbox"
            checked={formats.parquet}
            onChange={(e) => setFormats({ ...formats, parquet: e.target.checked })}
          />{' '}
          Parquet
        </label>
      </div>
      <table className="data compact">
        <tbody>
          {subsets.map((s) => (
            <tr key={s.name} data-testid="subset-row">
              <td>{s.name}</td>
              <td>{s.spec.partition ?? 'filter'}</td>
              <td>{s.spec.sizes.join(', ')}</td>
              <td>seed {s.spec.seed}</td>
              <td>
                <button onClick={() => void exportSubset(s.name)} data-testid="export-subset">
                  Export
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {exporting && (
        <div
          className="export-status"
          data-testid="export-status"
          data-state={manifest ? 'done' : (task?.state ?? 'running')}
        >
          <div className="progress">
            <div className="bar" style={{ width: `${manifest ? 100 : Math.round((task?.progress ?? 0) * 100)}%` }} />
          </div>
          <span>{manifest ? `done — ${exporting.dir}` : (task?.detail ?? 'starting')}</span>
          {task?.state === 'running' && (
            <button onClick={() => void useTasks.getState().cancel(task.id)}>cancel</button>
          )}
        </div>
      )}
      {manifest && (
        <table className="data compact" data-testid="export-files">
          <tbody>
            {manifest.files.map((f) => (
              <tr key={f.path}>
                <td>{f.path}</td>
                <td className="num">{f.rows}</td>
                <td className="num">{f.bytes.toLocaleString()} B</td>
                <td className="mono">{f.sha256.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
};
