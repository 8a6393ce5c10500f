import { useEffect, useRef } from 'react';
import type { StudyInput } from '../../../shared/domain/study';
import { seedStudents } from '../../../shared/domain/students';
import { useDesktopNotify } from '../notices/desktop-store';
import { useStudy } from './store';

const numbers = (text: string): number[] =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((v) => Number(v.replace(/k$/i, '000')))
    .filter((n) => Number.isInteger(n) && n > 0);
const varsText = (v: Record<string, string | number | boolean> | undefined): string =>
  Object.entries(v ?? {})
    .map(([k, x]) => `${k}=${String(x)}`)
    .join('\n');
const parseVars = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
  );
const sizeText = (n: number): string => (n % 1000 === 0 ? `${n / 1000}K` : String(n));
const hours = (h: number): string =>
  h === 0 ? '0' : h < 0.1 ? h.toPrecision(2) : h < 10 ? h.toFixed(2) : h.toFixed(0);
const bytes = (b: number): string =>
  b < 1e9 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e9).toFixed(b < 1e10 ? 2 : 0)} GB`;

/** A text field that keeps what is typed and reports it on change (the design takes what parses). */
const Field = ({
  label,
  value,
  onChange,
  testId,
  wide,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  wide?: boolean;
}) => (
  <label className={wide ? 'study-field wide' : 'study-field'}>
    {label}
    <input defaultValue={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
  </label>
);

/** "New study from the paper": the seed design pre-filled, edited here, planned as it changes, then launched. */
export const NewStudyDialog = () => {
  const { draft, clusters, editDraft, closeDraft, launch, busy } = useStudy();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeDraft();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closeDraft]);
  if (!draft) return null;
  const s = draft.study;
  const p = draft.plan;
  const sizes = s.curve.sizes ?? [];
  const edit = (change: (x: StudyInput) => StudyInput) => editDraft(change);
  const setAblation = (
    name: string,
    change: (a: NonNullable<StudyInput['ablations']>[number]) => NonNullable<StudyInput['ablations']>[number] | null,
  ) =>
    edit((x) => ({
      ...x,
      ablations: (x.ablations ?? [])
        .map((a) => (a.name === name ? change(a) : a))
        .filter((a): a is NonNullable<typeof a> => a !== null),
    }));
  return (
    <div className="modal" role="dialog" aria-label="New study from the paper" data-testid="study-dialog">
      <div className="study-modal-body card">
        <div className="study-head">
          <h2>New study from the paper</h2>
          <span className="muted">
            The Valley of Code Reasoning: nested subsets, two students, ablations from a checkpoint
          </span>
          <div className="actions">
            <button onClick={closeDraft}>Close</button>
          </div>
        </div>
        <div className="study-dialog">
          <div className="study-form">
            <label className="study-field">
              Name
              <input
                ref={first}
                defaultValue={s.name}
                onChange={(e) => edit((x) => ({ ...x, name: e.target.value }))}
                data-testid="study-name"
              />
            </label>
            <label className="study-field">
              Cluster
              <select
                value={s.cluster ?? ''}
                onChange={(e) => edit((x) => ({ ...x, cluster: e.target.value || null }))}
                data-testid="study-cluster"
              >
                <option value="">(none yet)</option>
                {clusters.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <fieldset className="study-students">
              <legend>Students</legend>
              {seedStudents.map((st) => (
                <label key={st.id} className="check">
                  <input
                    type="checkbox"
                    checked={s.students.includes(st.id)}
                    onChange={(e) =>
                      edit((x) => ({
                        ...x,
                        students: e.target.checked ? [...x.students, st.id] : x.students.filter((y) => y !== st.id),
                      }))
                    }
                  />
                  {st.id}
                </label>
              ))}
            </fieldset>
            <Field
              label="Curve sizes (nested)"
              value={sizes.join(', ')}
              testId="study-sizes"
              onChange={(v) =>
                edit((x) => {
                  const next = numbers(v);
                  const top = next.length ? `curve-${Math.max(...next)}` : null;
                  // ablations that continued from the largest size follow it
                  const oldTop = sizes.length ? `curve-${Math.max(...sizes)}` : null;
                  return {
                    ...x,
                    curve: { ...x.curve, sizes: next },
                    ablations: (x.ablations ?? []).map((a) =>
                      a.continue_from && a.continue_from === oldTop ? { ...a, continue_from: top } : a,
                    ),
                  };
                })
              }
            />
            <Field
              label="Seeds"
              value={s.seeds.join(', ')}
              testId="study-seeds"
              onChange={(v) =>
                edit((x) => ({
                  ...x,
                  seeds: v
                    .split(/[\s,]+/)
                    .filter(Boolean)
                    .map(Number)
                    .filter(Number.isInteger),
                }))
              }
            />
            <label className="check">
              <input
                type="checkbox"
                checked={s.curve.baseline ?? true}
                onChange={(e) => edit((x) => ({ ...x, curve: { ...x.curve, baseline: e.target.checked } }))}
              />
              Baseline (the untrained student, evaluated once)
            </label>
            <fieldset className="study-ablations">
              <legend>Ablations</legend>
              {(draft.study.ablations ?? []).map((a) => (
                <div key={a.name} className="study-ablation" data-testid={`ablation-${a.name}`}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked
                      onChange={() => setAblation(a.name, () => null)}
                      aria-label={`Keep ${a.name}`}
                    />
                    <strong>{a.name}</strong>
                  </label>
                  <span className="muted">
                    {a.conditions.map((c) => `${c.name} ${sizeText(c.size)}`).join(' · ')}
                    {a.continue_from ? ` · from ${a.continue_from}` : ''}
                  </span>
                  <Field
                    label="size"
                    value={String(a.conditions[0]?.size ?? '')}
                    testId={`ablation-size-${a.name}`}
                    onChange={(v) =>
                      setAblation(a.name, (x) => ({
                        ...x,
                        conditions: x.conditions.map((c) => ({ ...c, size: numbers(v)[0] ?? c.size })),
                      }))
                    }
                  />
                </div>
              ))}
            </fieldset>
            <label className="study-field">
              Rows longer than max_seq_len
              <select
                value={s.transforms?.overlong ?? 'keep'}
                onChange={(e) =>
                  edit((x) => ({
                    ...x,
                    transforms: { ...x.transforms, overlong: e.target.value as 'keep' | 'drop' | 'truncate' },
                  }))
                }
                data-testid="study-overlong"
              >
                <option value="keep">keep</option>
                <option value="drop">drop (needs the tokenizers)</option>
                <option value="truncate">truncate (needs the tokenizers)</option>
              </select>
            </label>
            <label className="study-field wide">
              Trainer variables ({s.trainer?.template ?? 'torchtune-full'})
              <textarea
                rows={3}
                defaultValue={varsText(s.trainer?.variables)}
                data-testid="study-trainer-vars"
                onChange={(e) =>
                  edit((x) => ({ ...x, trainer: { ...x.trainer, variables: parseVars(e.target.value) } }))
                }
              />
            </label>
            <label className="study-field wide">
              Evaluation variables ({s.evaluation?.template ?? 'lcb-eval'})
              <textarea
                rows={2}
                defaultValue={varsText(s.evaluation?.variables)}
                data-testid="study-eval-vars"
                onChange={(e) =>
                  edit((x) => ({ ...x, evaluation: { ...x.evaluation, variables: parseVars(e.target.value) } }))
                }
              />
            </label>
          </div>
          <div className="study-plan" data-testid="study-plan">
            <h3>Plan {draft.planning && <span className="muted">(planning…)</span>}</h3>
            {draft.error && (
              <div className="study-error" role="alert">
                {draft.error}
              </div>
            )}
            {p && (
              <>
                <div className="study-numbers">
                  <div>
                    <strong data-testid="plan-cells">{p.estimate.cells}</strong>
                    <span>
                      cells ({p.conditions.length} conditions × {p.students.length} students × {p.seeds.length} seeds)
                    </span>
                  </div>
                  <div>
                    <strong data-testid="plan-jobs">{p.estimate.jobs}</strong>
                    <span>
                      jobs ({p.estimate.trainJobs} training, {p.estimate.evalJobs} evaluation)
                    </span>
                  </div>
                  <div>
                    <strong data-testid="plan-gpu-hours">{hours(p.estimate.gpuHours)}</strong>
                    <span>
                      GPU-hours (training <span data-testid="plan-train-hours">{hours(p.estimate.trainGpuHours)}</span>,
                      evaluation {hours(p.estimate.evalGpuHours)})
                    </span>
                  </div>
                  <div>
                    <strong>{bytes(p.estimate.dataBytes + p.estimate.checkpointBytes)}</strong>
                    <span>
                      disk ({bytes(p.estimate.dataBytes)} exports, {bytes(p.estimate.checkpointBytes)} checkpoints)
                    </span>
                  </div>
                </div>
                <label className="study-field">
                  Throughput (tokens per GPU per second)
                  <input
                    type="number"
                    min={1}
                    defaultValue={s.estimate?.tokens_per_gpu_second ?? 2500}
                    data-testid="study-throughput"
                    onChange={(e) =>
                      Number(e.target.value) > 0 &&
                      edit((x) => ({
                        ...x,
                        estimate: { ...x.estimate, tokens_per_gpu_second: Number(e.target.value) },
                      }))
                    }
                  />
                </label>
                <table className="study-table compact">
                  <thead>
                    <tr>
                      <th>subset</th>
                      <th>partition</th>
                      <th>sizes</th>
                      <th>saved</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.subsets.map((x) => (
                      <tr key={x.id}>
                        <td>{x.name}</td>
                        <td>{x.partition ?? '(all)'}</td>
                        <td>{x.sizes.map(sizeText).join(', ')}</td>
                        <td>{x.exists ? 'yes' : 'no'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {p.warnings.length > 0 && (
                  <ul className="study-warnings">
                    {p.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                )}
              </>
            )}
            <div className="actions">
              <button
                className="primary"
                data-testid="study-launch"
                disabled={!p || !s.cluster || busy === 'launch' || draft.planning}
                title={s.cluster ? 'Write studies/<name>.yaml and submit every cell' : 'Choose a cluster first'}
                onClick={() => {
                  // this click is the user gesture a browser wants before it asks to show notifications
                  void useDesktopNotify.getState().offer();
                  void launch();
                }}
              >
                {busy === 'launch' ? 'Launching…' : 'Save and launch'}
              </button>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
};
