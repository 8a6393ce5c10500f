import { useEffect, useState } from 'react';
import type { SqlResult } from '../../../shared/api';
import { api } from '../../api/client';
import { reportError } from '../notices/store';
import { useData } from '../data/store';

/** First look at a trace dataset: its first rows. (Full curation lives here as it grows.) */
export const CurateScreen = () => {
  const { datasets, load } = useData();
  const [rows, setRows] = useState<SqlResult | null>(null);
  const traces = datasets.find((d) => d.kind === 'traces');
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!traces) return;
    api()
      .call('sql.query', {
        sql: `SELECT id, difficulty, source, correct, pass_rate, think_chars, think_close FROM "${traces.relation}" ORDER BY row_id`,
        limit: 50,
      })
      .then(setRows, (e: unknown) => reportError(e, 'Could not read traces'));
  }, [traces]);
  return (
    <section>
      <div className="screen-head">
        <h1>Curate</h1>
        <span className="muted">{traces ? traces.name : 'No trace dataset yet'}</span>
      </div>
      {rows && (
        <table className="data" data-testid="traces-table">
          <thead>
            <tr>{rows.columns.map((c) => <th key={c.name}>{c.name}</th>)}</tr>
          </thead>
          <tbody>
            {rows.rows.map((r, i) => (
              <tr key={i}>{r.map((v, j) => <td key={j}>{String(v)}</td>)}</tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
