import { useState } from 'react';
import type { SqlResult } from '../../../shared/api';
import { useCurate } from './store';

/** Read-only SQL for power users; errors appear in place. A WHERE expression can become a table filter. */
export const SqlBox = ({ relation }: { relation: string }) => {
  const [sql, setSql] = useState(
    `SELECT difficulty, count(*) AS n, avg(pass_rate) AS pass\nFROM "${relation}"\nGROUP BY ALL ORDER BY n DESC`,
  );
  const [where, setWhere] = useState('');
  const [result, setResult] = useState<SqlResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  // file-reading functions (read_csv, read_text, FROM 'f.parquet') are off unless turned on here
  const [allowFiles, setAllowFiles] = useState(false);
  const run = async () => {
    try {
      setResult(await useCurate.getState().query(sql, allowFiles));
      setError(null);
    } catch (e) {
      setResult(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const applyWhere = async () => {
    try {
      await useCurate.getState().filterWhere(where, allowFiles);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="panel" data-testid="sql-box">
      <textarea
        className="mono"
        rows={5}
        value={sql}
        onChange={(e) => setSql(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void run();
        }}
        aria-label="SQL"
      />
      <div className="row">
        <button onClick={() => void run()}>Run (Ctrl+Enter)</button>
        <input
          className="mono grow"
          placeholder="WHERE expression, e.g. tokens > 2000 AND NOT think_close"
          value={where}
          onChange={(e) => setWhere(e.target.value)}
        />
        <button onClick={() => void applyWhere()}>Filter table</button>
        <label
          className="muted"
          title="Let this SQL read files on this computer (read_csv, read_parquet, read_text, FROM 'file.csv')"
        >
          <input
            type="checkbox"
            checked={allowFiles}
            onChange={(e) => setAllowFiles(e.target.checked)}
            data-testid="sql-allow-files"
          />{' '}
          allow file functions
        </label>
      </div>
      {error && (
        <pre className="error-text" data-testid="sql-error">
          {error}
        </pre>
      )}
      {result && (
        <div className="sql-result">
          <table className="data compact">
            <thead>
              <tr>
                {result.columns.map((c) => (
                  <th key={c.name}>{c.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (
                    <td key={j}>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <span className="muted">
            {result.rows.length} rows{result.truncated ? ' (truncated)' : ''}, {result.elapsedMs} ms
          </span>
        </div>
      )}
    </div>
  );
};
