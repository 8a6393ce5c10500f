import { useEffect } from 'react';
import type { Data } from 'plotly.js';
import { pct } from '../../../shared/analysis/format';
import { Plot } from '../../components/Plot';
import { CellPanel } from './CellPanel';
import { NewStudyDialog } from './NewStudyDialog';
import { useStudy } from './store';
import './study.css';

const seriesColor = (i: number): string =>
  getComputedStyle(document.documentElement)
    .getPropertyValue(`--series-${(i % 6) + 1}`)
    .trim();
const shortStudent = (s: string) => s.split('/').pop() ?? s;

/** The matrix: conditions × students × seeds, each cell's state and score; a click opens its provenance. */
const Matrix = () => {
  const { status, cell, selectCell } = useStudy();
  if (!status) return null;
  const cols = status.students.flatMap((student) => status.seeds.map((seed) => ({ student, seed })));
  return (
    <table className="study-matrix" data-testid="study-matrix">
      <thead>
        <tr>
          <th>condition</th>
          {cols.map((c) => (
            <th key={`${c.student}-${c.seed}`}>
              {shortStudent(c.student)}
              {status.seeds.length > 1 ? ` · seed ${c.seed}` : ''}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {status.conditions.map((cond) => (
          <tr key={cond.id}>
            <th
              title={
                cond.continueFrom
                  ? `continues from ${cond.continueFrom}`
                  : cond.partition
                    ? `partition ${cond.partition}`
                    : ''
              }
            >
              {cond.label}
              {cond.continueFrom && <span className="muted"> ← {cond.continueFrom}</span>}
            </th>
            {cols.map((col) => {
              const c = status.cells.find(
                (x) => x.condition === cond.id && x.student === col.student && x.seed === col.seed,
              );
              if (!c) return <td key={`${col.student}-${col.seed}`} />;
              return (
                <td key={c.id}>
                  <button
                    className={`study-cellbtn s-${c.state}${cell === c.id ? ' selected' : ''}`}
                    onClick={() => void selectCell(c.id)}
                    title={c.detail}
                    data-testid="study-cellbtn"
                    data-cell={c.id}
                    data-state={c.state}
                  >
                    <span className="study-state">{c.state}</span>
                    <span className="study-score">{c.score === null ? '' : pct(c.score)}</span>
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
};

/** The study's valley plot: each student's curve (log size), its baseline, and the ablations as points; a click opens the cell. */
const StudyPlot = () => {
  const { series, status, selectCell, ablations } = useStudy();
  if (!status || (series.length === 0 && ablations.length === 0))
    return <div className="muted study-plot-empty">The plot fills in as cells finish.</div>;
  const cellOfRun = new Map(status.cells.filter((c) => c.runId).map((c) => [c.runId as string, c.id]));
  // the curve's series (one per student); ablation conditions are drawn as points beside them
  const curve = new Set(status.conditions.filter((c) => c.group === 'curve').map((c) => c.partition ?? 'all'));
  const data: Data[] = [];
  series
    .filter((s) => curve.has(s.partition))
    .forEach((s, i) => {
      const color = seriesColor(i);
      const sizes = s.points.map((p) => p.size);
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: shortStudent(s.student),
        x: sizes,
        y: s.points.map((p) => p.value),
        customdata: s.points.map((p) => cellOfRun.get(p.runIds[0] ?? '') ?? ''),
        marker: { size: 9 },
        line: { color },
        error_y: {
          type: 'data',
          symmetric: false,
          array: s.points.map((p) => (p.error ? p.error.hi - p.value : 0)),
          arrayminus: s.points.map((p) => (p.error ? p.value - p.error.lo : 0)),
          visible: s.points.some((p) => p.error),
        },
      });
      if (s.baseline && sizes.length) {
        data.push({
          type: 'scatter',
          mode: 'lines',
          name: `${shortStudent(s.student)} baseline`,
          x: [Math.min(...sizes), Math.max(...sizes)],
          y: [s.baseline.value, s.baseline.value],
          line: { dash: 'dot', color },
          hoverinfo: 'y',
          customdata: [cellOfRun.get(s.baseline.runIds[0] ?? '') ?? '', ''],
        });
      }
    });
  for (const g of ablations) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${g.referenceLabel} · ${shortStudent(g.student)}`,
      x: g.bars.map(() => g.size ?? 1),
      y: g.bars.map((b) => b.value),
      text: g.bars.map((b) => b.label),
      marker: { symbol: 'diamond', size: 10 },
      customdata: g.bars.map((b) => cellOfRun.get(b.runId) ?? ''),
      hovertemplate: '%{text}: %{y:.3f}<extra></extra>',
    });
  }
  return (
    <Plot
      testId="study-plot"
      data={data}
      height={380}
      layout={{
        xaxis: { type: 'log', title: { text: 'training examples (log)' } },
        yaxis: { title: { text: 'pass@1' }, rangemode: 'tozero' },
        showlegend: true,
        margin: { l: 56, r: 16, t: 16, b: 150 },
        legend: { orientation: 'h', y: -0.3, yanchor: 'top' },
      }}
      onClick={(e) => {
        const id = e.points[0]?.customdata;
        if (typeof id === 'string' && id) void selectCell(id);
      }}
    />
  );
};

const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${v} ${k}`)
    .join(' · ');

/** A whole experiment as one object: its file, matrix, valley plot, and each cell's provenance. */
export const StudyScreen = () => {
  const {
    studies,
    selected,
    status,
    loaded,
    busy,
    draft,
    editing,
    load,
    select,
    newFromPaper,
    run,
    fetch,
    cancel,
    edit,
    setText,
    saveText,
    listen,
  } = useStudy();
  useEffect(() => {
    void load();
    return listen();
  }, [load, listen]);
  const summary = studies.find((s) => s.name === selected);
  return (
    <section className="study">
      <div className="screen-head">
        <h1>Study</h1>
        <span className="muted">
          Conditions × students × seeds as one plan: subsets, chained jobs, ablations from checkpoints
        </span>
        <div className="actions">
          {studies.length > 0 && (
            <select
              value={selected ?? ''}
              onChange={(e) => void select(e.target.value || null)}
              aria-label="Study"
              data-testid="study-select"
            >
              {studies.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                  {s.error ? ' (cannot be read)' : ''}
                </option>
              ))}
            </select>
          )}
          <button className="primary" onClick={() => void newFromPaper()} data-testid="study-new">
            New study from the paper
          </button>
        </div>
      </div>
      {loaded && studies.length === 0 && (
        <div className="empty-state">
          No study yet. “New study from the paper” starts from the seed design: nested 1K ⊂ 10K ⊂ 30K subsets, two
          students, and the ablations.
        </div>
      )}
      {summary?.error && (
        <div className="study-error" role="alert">
          {summary.file}: {summary.error}
        </div>
      )}
      {selected && status && (
        <>
          <div className="study-bar">
            <span data-testid="study-counts">{counts(status.counts)}</span>
            <span className="muted">{summary?.file}</span>
            <div className="actions">
              <button
                onClick={() => void run()}
                disabled={busy !== null}
                data-testid="study-run-btn"
                title="Submit every missing, failed or cancelled cell"
              >
                {busy === 'run' ? 'Submitting…' : 'Run'}
              </button>
              <button
                onClick={() => void fetch()}
                disabled={busy !== null}
                title="Import every finished chain now (the backend also does it as they end)"
              >
                Fetch
              </button>
              <button
                onClick={() => void cancel()}
                disabled={busy !== null}
                title="Cancel every unfinished job of the study"
              >
                Cancel jobs
              </button>
              <button onClick={() => void edit(editing === null)} data-testid="study-edit">
                {editing === null ? 'Edit file' : 'Close editor'}
              </button>
            </div>
          </div>
          {editing !== null && (
            <div className="card study-editor">
              <textarea
                value={editing}
                onChange={(e) => setText(e.target.value)}
                spellCheck={false}
                rows={18}
                aria-label="Study file"
                data-testid="study-text"
              />
              <div className="actions">
                <button className="primary" onClick={() => void saveText()}>
                  Save
                </button>
              </div>
            </div>
          )}
          <div className="study-grid">
            <div className="card">
              <Matrix />
            </div>
            <div className="card">
              <StudyPlot />
            </div>
          </div>
          <CellPanel />
        </>
      )}
      {draft && <NewStudyDialog />}
    </section>
  );
};
