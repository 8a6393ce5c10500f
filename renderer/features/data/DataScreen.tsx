import { useEffect } from 'react';
import type { DatasetInfo } from '../../../shared/api';
import { ImportDialog } from './ImportDialog';
import { ResultsDialog } from './ResultsDialog';
import { useData } from './store';
import './data.css';
import { ErrorBoundary } from '../../components/ErrorBoundary';

const fmt = new Intl.NumberFormat('en-US');

const roleSummary = (d: DatasetInfo) =>
  Object.entries(d.roles)
    .filter(([, c]) => c)
    .map(([r, c]) => (r === c ? r : `${r}: ${c}`))
    .join(' · ');

/** Where OCR2's '-' questions come from: per trace dataset and source, how many are filled and what is missing. */
const QuestionSources = () => {
  const { questionSources } = useData();
  if (questionSources.length === 0) return null;
  return (
    <div className="question-sources" data-testid="question-sources">
      <h2>Questions from source datasets</h2>
      <p className="muted">
        OpenCodeReasoning-2 stores the question as “-” where the text lives in TACO, APPS, CodeContests or
        open-r1/codeforces; importing the source fills it in by (dataset, split, index). Exports refuse rows still “-”.
      </p>
      <table className="data compact">
        <thead>
          <tr>
            <th>Traces</th>
            <th>OCR2 source</th>
            <th className="num">Rows</th>
            <th className="num">Filled</th>
            <th className="num">Still “-”</th>
            <th>Source dataset</th>
          </tr>
        </thead>
        <tbody>
          {questionSources.map((q) => (
            <tr key={`${q.dataset}|${q.key}`} data-source={q.key} className={q.missing ? 'missing' : ''}>
              <td>{q.dataset}</td>
              <td>{q.key}</td>
              <td className="num">{fmt.format(q.rows)}</td>
              <td className="num">{fmt.format(q.filled)}</td>
              <td className="num">{fmt.format(q.missing)}</td>
              <td>
                {q.source ?? (
                  <span
                    className="badge warn"
                    title="Import it with “Import dataset…”; the questions are filled in when it arrives"
                  >
                    missing: import {q.hf ?? q.key}
                    {q.preset ? ` (preset ${q.preset})` : ''}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

export const DataScreen = () => {
  const { datasets, loaded, load, dialog, open, drop } = useData();
  useEffect(() => void load(), [load]);
  return (
    <section>
      <div className="screen-head">
        <h1>Data</h1>
        <span className="muted">Datasets in this workspace</span>
        <div className="actions">
          <button onClick={() => open('results')} data-testid="open-results-import">
            Import results…
          </button>
          <button className="primary" onClick={() => open('import')} data-testid="open-import">
            Import dataset…
          </button>
        </div>
      </div>
      {loaded && datasets.length === 0 && (
        <div className="empty-state">
          No datasets yet. Import OpenCodeReasoning-2 Parquet shards, a JSONL of traces or a CSV with “Import dataset…”.
        </div>
      )}
      {datasets.length > 0 && (
        <table className="data" data-testid="datasets-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th className="num">Rows</th>
              <th>Preset</th>
              <th>Storage</th>
              <th>Tokens</th>
              <th>Roles</th>
              <th>Sources</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.name} data-dataset={d.name}>
                <td>
                  {d.isDemo && <span className="badge demo">DEMO</span>}
                  {d.name}
                </td>
                <td>{d.kind}</td>
                <td className="num">{fmt.format(d.rows)}</td>
                <td>{d.preset}</td>
                <td
                  title={
                    d.storage === 'view'
                      ? 'Read from the source files; derived columns stored in the workspace'
                      : 'Copied into the workspace'
                  }
                >
                  {d.storage}
                </td>
                <td>
                  {d.tokensEstimated ? (
                    <span className="badge" title="chars / 3.7; import with a tokenizer.json for exact counts">
                      estimated
                    </span>
                  ) : (
                    'exact'
                  )}
                </td>
                <td className="roles muted">{roleSummary(d)}</td>
                <td className="muted sources" title={d.sources.join('\n')}>
                  {d.sources.length === 1 ? d.sources[0] : `${d.sources.length} files`}
                </td>
                <td>
                  <button
                    className="link"
                    onClick={() => {
                      if (window.confirm(`Remove ${d.name} from the workspace? Source files are not touched.`))
                        void drop(d.name);
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorBoundary name="Question sources">
        <QuestionSources />
      </ErrorBoundary>
      <ErrorBoundary name="Import" resetKeys={[dialog]}>
        {dialog === 'import' && <ImportDialog />}
        {dialog === 'results' && <ResultsDialog />}
      </ErrorBoundary>
    </section>
  );
};
