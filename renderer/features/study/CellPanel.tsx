import { pct } from '../../../shared/analysis/format';
import { openTracesOf } from '../analysis/open-traces';
import { useStudy } from './store';

const short = (sha: string) => `${sha.slice(0, 12)}…`;

interface TransformFile {
  path: string;
  rowsIn: number;
  rowsOut: number;
  thinkStripped: number;
  overlongDropped: number;
  truncated: number;
}

const transformFiles = (t: unknown): TransformFile[] =>
  t !== null && typeof t === 'object' && Array.isArray((t as { files?: unknown }).files)
    ? (t as { files: TransformFile[] }).files
    : [];

/** Provenance of one cell: its state → its job chain and logs → the manifest it trained on (hashes) → its traces in Curate. */
export const CellPanel = () => {
  const { cell, detail, log, selectCell, loadLog, status } = useStudy();
  if (!cell) return null;
  const c = detail?.cell;
  const condition = status?.conditions.find((x) => x.id === c?.condition);
  const subset = detail?.manifest?.recipe.subset ?? null;
  return (
    <div className="card study-cell" data-testid="study-cell">
      <div className="study-head">
        <h2>{cell}</h2>
        <div className="actions">
          <button className="link" onClick={() => void selectCell(null)} aria-label="Close">
            ✕
          </button>
        </div>
      </div>
      {!detail && <div className="muted">Loading…</div>}
      {c && (
        <>
          <div>
            <span className={`study-state s-${c.state}`}>{c.state}</span> {c.detail}
            {c.score !== null && (
              <>
                {' '}
                · pass@1 <strong>{pct(c.score)}</strong>
              </>
            )}
          </div>
          <div className="muted">
            {c.student} · seed {c.seed} · {c.size ? `${c.size} examples` : 'untrained'}
            {condition?.partition ? ` of ${condition.partition}` : ''}
            {condition?.stripThink ? ' · think tags stripped' : ''}
            {c.baseCell ? ` · continues from ${c.baseCell}` : ''}
          </div>
          <h3>Job chain</h3>
          {detail.jobs.length === 0 && <div className="muted">Not submitted yet.</div>}
          <ol className="study-chain">
            {detail.jobs.map((j) => (
              <li key={j.id} data-testid="study-job">
                <strong>
                  {j.labels['trained by']
                    ? 'evaluate'
                    : j.labels['template']?.startsWith('lcb')
                      ? 'evaluate (baseline)'
                      : 'train'}
                </strong>{' '}
                {j.name}{' '}
                <span className="muted">
                  ({j.id}
                  {j.remoteId ? ` · ${j.kind} ${j.remoteId}` : ''})
                </span>{' '}
                · {j.state} · {j.detail}
                {j.elapsedSeconds !== null && <span className="muted"> · {j.elapsedSeconds}s</span>}
                {j.labels['continued from'] && !j.labels['trained by'] && (
                  <div className="muted">
                    from checkpoint {j.labels['base checkpoint']} (job {j.labels['continued from']})
                  </div>
                )}
                <button className="link" onClick={() => void loadLog(j.id)} data-testid="study-job-log">
                  log
                </button>
              </li>
            ))}
          </ol>
          {log && (
            <pre className="study-log" data-testid="study-log" aria-label={`Log of ${log.job}`}>
              {log.text}
            </pre>
          )}
          <h3>Training data</h3>
          {!detail.manifest && (
            <div className="muted">
              {c.trains ? 'Not exported yet.' : 'None: the baseline is the untrained student.'}
            </div>
          )}
          {detail.manifest && (
            <div data-testid="study-manifest">
              <div>
                subset <strong>{detail.manifest.recipe.subset}</strong> of {detail.manifest.recipe.spec.dataset}
                {detail.manifest.recipe.spec.partition ? ` (partition ${detail.manifest.recipe.spec.partition})` : ''} ·
                sampling seed {detail.manifest.recipe.spec.seed}
              </div>
              <div className="muted" title={c.manifest ?? ''}>
                manifest {c.manifest} · sha256 <code>{detail.manifestSha256 ? short(detail.manifestSha256) : '–'}</code>
              </div>
              <table className="study-table compact">
                <thead>
                  <tr>
                    <th>file</th>
                    <th>rows</th>
                    <th>sha256</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.manifest.files.map((f) => (
                    <tr key={f.path}>
                      <td>{f.path}</td>
                      <td>{f.rows}</td>
                      <td>
                        <code title={f.sha256}>{short(f.sha256)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {transformFiles(detail.transforms).map((t) => (
                <div key={t.path} className="muted">
                  transforms: {t.rowsIn} rows in, {t.rowsOut} out · think stripped {t.thinkStripped} · overlong dropped{' '}
                  {t.overlongDropped} · truncated {t.truncated}
                </div>
              ))}
              <button
                data-testid="study-open-traces"
                onClick={() => void openTracesOf(condition?.partition ?? 'all', subset)}
              >
                Traces in Curate
              </button>
            </div>
          )}
          {detail.run && (
            <div className="muted" data-testid="study-run">
              run {detail.run.name} ({detail.run.id}) · {detail.run.problems} problems · pass@1{' '}
              {pct(detail.run.metrics['pass@1'])}
            </div>
          )}
        </>
      )}
    </div>
  );
};
