import { useEffect, useState } from 'react';
import type { SubmitRequestInput } from '../../../shared/api/cluster';
import { seedStudents } from '../../../shared/domain/students';
import { useCluster } from './store';
import { useEscape } from '../../components/useEscape';

const knownStudents = seedStudents.map((s) => s.id);

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const parseVars = (text: string): Record<string, string> =>
  Object.fromEntries(
    lines(text)
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()])
      .filter(([k]) => k),
  );

/** Choose cluster, template, subsets, students and seeds; see the exact files; then submit. */
export const SubmitDialog = ({ onClose }: { onClose: () => void }) => {
  const { clusters, templates, exports, preview, checklist, previewSubmit, checkSubmit, submit, submitError, busy } =
    useCluster();
  const [picked, setPicked] = useState<string[]>([]);
  const [cluster, setCluster] = useState(clusters[0]?.name ?? 'local');
  const [template, setTemplate] = useState(
    templates.some((t) => t.name === 'torchtune-full') ? 'torchtune-full' : (templates[0]?.name ?? 'torchtune-full'),
  );
  const [evaluate, setEvaluate] = useState(true);
  const [data, setData] = useState('');
  const [students, setStudents] = useState<string[]>([knownStudents[0] as string]);
  const [seeds, setSeeds] = useState('0');
  const [vars, setVars] = useState('');
  const [array, setArray] = useState(false);
  const tpl = templates.find((t) => t.name === template);
  const trains = tpl?.files.some((f) => f.name === 'run.sh' && /\btune\s+run\b/.test(f.text)) ?? false;
  useEffect(() => {
    setVars(
      Object.entries(tpl?.variables ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
  }, [tpl]);
  const isSlurm = clusters.find((c) => c.name === cluster)?.kind === 'slurm';
  // a changed request invalidates the preview: what is submitted is always what was shown
  useEffect(
    () => useCluster.setState({ preview: null, checklist: null }),
    [cluster, template, data, picked, students, seeds, vars, array, evaluate],
  );
  const request = (): SubmitRequestInput => ({
    cluster,
    template,
    data: [...picked, ...lines(data)],
    students,
    seeds: seeds
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number),
    variables: parseVars(vars),
    array: isSlurm && array,
    evaluate: trains && evaluate,
  });
  useEscape(onClose);
  return (
    <div className="modal cluster-modal" role="dialog" aria-label="Submit jobs" data-testid="submit-dialog">
      <div className="cluster-modal-body card">
        <div className="cluster-card-head">
          <h2>Submit to a cluster</h2>
          <button onClick={onClose}>Close</button>
        </div>
        <div className="cluster-submit">
          <div className="cluster-form">
            <label>
              Cluster
              <select value={cluster} onChange={(e) => setCluster(e.target.value)}>
                {clusters.map((c) => (
                  <option key={c.name}>{c.name}</option>
                ))}
              </select>
            </label>
            <label>
              Template
              <select value={template} onChange={(e) => setTemplate(e.target.value)}>
                {templates.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <div className="muted">{tpl?.description}</div>
            {exports.length > 0 && (
              <fieldset data-testid="submit-exports">
                <legend>Exported subsets (one job per size)</legend>
                {exports.map((x) => (
                  <label key={x.dir} className="cluster-check">
                    <input
                      type="checkbox"
                      checked={picked.includes(x.dir)}
                      onChange={(e) =>
                        setPicked(e.target.checked ? [...picked, x.dir] : picked.filter((d) => d !== x.dir))
                      }
                    />
                    {x.subset} <span className="muted">({x.sizes.join(', ')})</span>
                  </label>
                ))}
              </fieldset>
            )}
            <label>
              Other subsets (JSONL files or export folders, one per line)
              <textarea rows={3} value={data} onChange={(e) => setData(e.target.value)} data-testid="submit-data" />
            </label>
            <fieldset>
              <legend>Students</legend>
              {knownStudents.map((s) => (
                <label key={s} className="cluster-check">
                  <input
                    type="checkbox"
                    checked={students.includes(s)}
                    onChange={(e) => setStudents(e.target.checked ? [...students, s] : students.filter((x) => x !== s))}
                  />{' '}
                  {s}
                </label>
              ))}
            </fieldset>
            <label>
              Seeds
              <input value={seeds} onChange={(e) => setSeeds(e.target.value)} placeholder="0, 1, 2" />
            </label>
            <label>
              Variables (KEY=VALUE)
              <textarea rows={6} value={vars} onChange={(e) => setVars(e.target.value)} />
            </label>
            {trains && (
              <label className="cluster-check">
                <input
                  type="checkbox"
                  checked={evaluate}
                  onChange={(e) => setEvaluate(e.target.checked)}
                  data-testid="submit-evaluate"
                />{' '}
                evaluate after training (LiveCodeBench on the final checkpoint, labelled for the fit)
              </label>
            )}
            {isSlurm && (
              <label className="cluster-check">
                <input type="checkbox" checked={array} onChange={(e) => setArray(e.target.checked)} /> one Slurm job
                array for the sweep
              </label>
            )}
            <div className="cluster-row">
              <button onClick={() => void previewSubmit(request())} disabled={busy} data-testid="submit-preview">
                Show the exact scripts
              </button>
              <button onClick={() => void checkSubmit(request())} disabled={busy} data-testid="submit-check">
                Check the cluster
              </button>
              <button
                className="primary"
                disabled={busy || !preview}
                onClick={() =>
                  void submit({ ...request(), jobIds: (preview ?? []).flatMap((j) => (j.id ? [j.id] : [])) }).then(
                    (ok) => ok && onClose(),
                  )
                }
                data-testid="submit-go"
              >
                Submit {preview ? `${preview.filter((j) => !j.labels['array']).length} job(s)` : ''}
              </button>
            </div>
            {checklist && (
              <ul className="cluster-checklist" data-testid="submit-checklist" aria-label="Pre-flight checks">
                {checklist.checks.map((c) => (
                  <li key={`${c.name}-${c.path}`} className={c.ok ? 'ok' : 'fail'}>
                    <strong>
                      {c.ok ? '✓' : '✗'} {c.name}
                    </strong>{' '}
                    <span>{c.detail}</span>
                    {!c.ok && (
                      <div className="muted">
                        on {c.host}: <code>{c.path}</code>
                        {c.fix && <div>Fix: {c.fix}</div>}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {submitError && (
              <div className="import-error" role="alert">
                <strong>Not submitted</strong>
                <div>{submitError.message}</div>
              </div>
            )}
          </div>
          <div className="cluster-preview" data-testid="submit-scripts">
            {!preview && (
              <div className="muted">
                Press “Show the exact scripts” to see every file Valley will write before anything is sent.
              </div>
            )}
            {preview?.map((j) => (
              <details key={j.name} open={preview.indexOf(j) === 0}>
                <summary>
                  {j.name}
                  {j.after ? (
                    <span className="muted">
                      {' '}
                      — after {preview.find((x) => x.id === j.after)?.name ?? j.after} succeeds
                    </span>
                  ) : null}
                </summary>
                {j.files.map((f) => (
                  <div key={f.name}>
                    <div className="muted">{f.name}</div>
                    <pre className="cluster-script">{f.text}</pre>
                  </div>
                ))}
              </details>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
};
