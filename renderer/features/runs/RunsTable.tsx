import { useEffect, useMemo, useState } from 'react';
import type { Run } from '../../../shared/api';
import { reportError } from '../notices/store';
import { useRunSelection } from './selection';
import { useRuns } from './store';
import { useProblems } from './problems-store';
import { pct } from '../../../shared/analysis/format';
import { runMetrics } from './metrics';

type SortKey = 'name' | 'student' | 'size' | 'partition' | 'seed' | 'status' | `m:${string}`;

const sortValue = (r: Run, key: SortKey): string | number | null => {
  if (key.startsWith('m:')) return r.metrics[key.slice(2)] ?? null;
  const v = r[key as Exclude<SortKey, `m:${string}`>];
  return v;
};

const labelsText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** Parse "k=v, k2=v2" into labels; a key given without "=" is an error shown to the user. */
const parseLabels = (text: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw new Error(`"${part}" is not key=value`);
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
};

/** Every run with its results, sortable by any column; tick two to compare; labels editable in place. */
export const RunsTable = () => {
  const { runs } = useRuns();
  const { focus, compareA, compareB, setCompare } = useRunSelection();
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'student', desc: false });
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    if (focus) document.querySelector(`tr[data-run="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, runs]);
  const sorted = useMemo(() => {
    const out = [...runs];
    out.sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.desc ? -c : c;
    });
    return out;
  }, [runs, sort]);
  const header = (key: SortKey, label: string, num = false) => (
    <th
      className={num ? 'num sortable' : 'sortable'}
      data-sort={key}
      onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : num }))}
    >
      {label}
      {sort.key === key ? (sort.desc ? ' ▾' : ' ▴') : ''}
    </th>
  );
  const toggleCompare = (id: string) => {
    if (compareA === id) setCompare(compareB, null);
    else if (compareB === id) setCompare(compareA, null);
    else if (!compareA) setCompare(id, compareB);
    else setCompare(compareA, id);
  };
  const saveLabels = async (run: Run, text: string) => {
    try {
      const next = parseLabels(text);
      const removed = Object.fromEntries(
        Object.keys(run.labels)
          .filter((k) => !(k in next))
          .map((k) => [k, null]),
      );
      await useRuns.getState().updateLabels(run.id, { ...removed, ...next });
      setEditing(null);
    } catch (error) {
      reportError(error, `Could not save the labels of ${run.name}`);
    }
  };
  return (
    <div className="runs-table-wrap">
      <table className="data runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th title="tick two runs to compare">⇄</th>
            {header('name', 'Run')}
            {header('student', 'Student')}
            {header('size', 'Examples', true)}
            {header('partition', 'Partition')}
            {header('seed', 'Seed', true)}
            {header('status', 'Status')}
            {runMetrics.map(([m, label]) => header(`m:${m}`, label, true))}
            <th>Labels</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.id} data-run={r.id} className={r.id === focus ? 'focused' : undefined}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`compare ${r.name}`}
                  checked={r.id === compareA || r.id === compareB}
                  onChange={() => toggleCompare(r.id)}
                />
              </td>
              <td className="run-name">
                {r.isDemo && <span className="badge demo">DEMO</span>}
                <button
                  className="link"
                  data-testid="open-run-problems"
                  title={`Open ${r.name}: its ${r.problems} problems`}
                  onClick={() => void useProblems.getState().openRun(r.id)}
                >
                  {r.name}
                </button>
              </td>
              <td>{r.student}</td>
              <td className="num">{r.size ?? '–'}</td>
              <td>{r.partition}</td>
              <td className="num">{r.seed ?? '–'}</td>
              <td>{r.status}</td>
              {runMetrics.map(([m]) => (
                <td key={m} className="num">
                  {pct(r.metrics[m])}
                </td>
              ))}
              <td className="labels">
                {editing?.id === r.id ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void saveLabels(r, editing.text);
                    }}
                  >
                    <input
                      autoFocus
                      value={editing.text}
                      onChange={(e) => setEditing({ id: r.id, text: e.target.value })}
                      onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
                      aria-label="labels"
                    />
                  </form>
                ) : (
                  <button
                    className="link"
                    title="Edit labels (key=value, comma-separated)"
                    onClick={() => setEditing({ id: r.id, text: labelsText(r.labels) })}
                  >
                    {labelsText(r.labels) || 'add labels'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
