import { useMemo } from 'react';
import type { Data, PlotSelectionEvent } from 'plotly.js';
import type { Facet, FacetBin, FilterClause } from '../../../shared/api';
import { Plot } from '../../components/Plot';
import { useCurate } from './store';
import { markBrush, markDrawn } from './brush-timing';

const titles: Record<Facet['name'], string> = {
  difficulty: 'Difficulty',
  judgement: 'Judgement',
  pass_rate: 'Pass rate',
  source: 'Source',
  response_chars: 'Trace length (chars)',
  tokens: 'Tokens',
};

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

const inClause = (bin: FacetBin, clause: FilterClause | undefined): boolean => {
  if (!clause || clause.op === 'sql') return true;
  if (clause.op === 'in') return clause.values.some((v) => v === bin.value) !== clause.negate;
  if (clause.op === 'range')
    return (clause.min === null || (bin.x1 ?? 0) >= clause.min) && (clause.max === null || (bin.x0 ?? 0) <= clause.max);
  return true;
};

/** Category labels short enough for a small chart (full label in the hover). */
const short = (label: string): string =>
  label.length <= 10
    ? label
    : label.replace('UNKNOWN_DIFFICULTY', 'UNKNOWN').replace('MEDIUM_HARD', 'MED_HARD').replace('VERY_HARD', 'V_HARD');

const FacetPlot = ({ facet, all }: { facet: Facet; all: readonly Facet[] }) => {
  const clause = useCurate((s) => s.filter.clauses.find((c) => c.op !== 'sql' && c.column === facet.column));
  const setClause = useCurate.getState().setClause;
  const numeric = facet.kind === 'numeric';
  const data = useMemo<Data[]>(() => {
    const x = facet.bins.map((b) => (numeric ? ((b.x0 ?? 0) + (b.x1 ?? 0)) / 2 : short(b.label)));
    const [on, off] = [cssVar('--series-1'), cssVar('--border')];
    const colors = facet.bins.map((b) => (inClause(b, clause) ? on : off));
    return [
      {
        type: 'bar',
        x,
        y: facet.bins.map((b) => b.count),
        ...(numeric
          ? { width: facet.bins.map((b) => Math.max((b.x1 ?? 0) - (b.x0 ?? 0), facet.name === 'pass_rate' ? 0.09 : 1)) }
          : {}),
        marker: { color: colors },
        hovertemplate: '%{x}: %{y}<extra></extra>',
      },
    ];
  }, [facet, clause, numeric]);
  const layout = useMemo(
    () => ({
      title: { text: titles[facet.name], font: { size: 12 }, x: 0.02 },
      margin: { l: 44, r: 8, t: 26, b: numeric ? 30 : 40 },
      dragmode: 'select' as const,
      selectdirection: 'h' as const,
      bargap: 0.05,
      showlegend: false,
      xaxis: {
        type: numeric ? ('linear' as const) : ('category' as const),
        fixedrange: true,
        tickfont: { size: 9 },
        ...(numeric ? {} : { tickangle: -25, automargin: true }),
      },
      yaxis: { fixedrange: true },
    }),
    [facet.name, numeric],
  );
  const pick = (bins: FacetBin[]) => {
    if (bins.length === 0) return;
    markBrush();
    if (numeric) {
      const min = Math.min(...bins.map((b) => b.x0 ?? 0));
      const max = Math.max(...bins.map((b) => b.x1 ?? 0));
      if (clause?.op === 'range' && clause.min === min && clause.max === max) setClause(null, facet.column);
      else setClause({ op: 'range', column: facet.column, min, max });
    } else {
      const values = bins.map((b) => b.value);
      const current = clause?.op === 'in' ? clause.values : [];
      const same = values.length === current.length && values.every((v) => current.includes(v));
      setClause(same ? null : { op: 'in', column: facet.column, values, negate: false }, facet.column);
    }
  };
  const onSelected = (e: PlotSelectionEvent | undefined) => {
    if (!e) return;
    const bins = (e.points ?? []).map((p) => facet.bins[p.pointIndex]).filter((b): b is FacetBin => b !== undefined);
    if (bins.length === 0 && numeric && e.range?.x) {
      const [lo, hi] = e.range.x as [number, number];
      pick(facet.bins.filter((b) => (b.x1 ?? 0) >= lo && (b.x0 ?? 0) <= hi));
    } else pick(bins);
  };
  return (
    <div className="facet" data-testid={`facet-${facet.name}`}>
      <Plot
        data={data}
        layout={layout}
        height={170}
        config={{ displayModeBar: false }}
        onClick={(e) => {
          const i = e.points[0]?.pointIndex;
          const bin = i === undefined ? undefined : facet.bins[i];
          if (bin) pick([bin]);
        }}
        onSelected={onSelected}
        onDrawn={() => markDrawn(all, facet.name)}
        inPlace
      />
    </div>
  );
};

/** Linked histograms: brushing or clicking filters the table and every other histogram. */
export const Histograms = () => {
  const facets = useCurate((s) => s.facets);
  return (
    <div className="facets">
      {facets.map((f) => (
        <FacetPlot key={f.name} facet={f} all={facets} />
      ))}
    </div>
  );
};

const clauseText = (c: FilterClause): string => {
  if (c.op === 'sql') return `where ${c.where}`;
  if (c.op === 'contains') return `${c.column} contains “${c.text}”`;
  if (c.op === 'range') {
    const f = (n: number) => (Math.abs(n) < 10 ? String(Math.round(n * 100) / 100) : Math.round(n).toLocaleString());
    return `${c.column} ${c.min === null ? '≤ ' + f(c.max ?? 0) : c.max === null ? '≥ ' + f(c.min) : `${f(c.min)}–${f(c.max)}`}`;
  }
  const vals = c.values.map((v) =>
    c.column === 'correct' ? (v ? 'correct' : v === false ? 'incorrect' : 'unknown') : String(v),
  );
  return `${c.column} ${c.negate ? 'not ' : ''}in ${vals.join(', ')}`;
};

/** The active filters as chips, each with a remove button. */
export const FilterChips = () => {
  const filter = useCurate((s) => s.filter);
  const { removeClause, setSearch, setFilter } = useCurate.getState();
  const none = filter.clauses.length === 0 && !filter.search && !filter.partition;
  if (none) return <span className="muted">No filters — brush or click a histogram bar</span>;
  return (
    <div className="chips" data-testid="filter-chips">
      {filter.partition && (
        <span className="chip">
          partition {filter.partition}
          <button aria-label="remove partition filter" onClick={() => setFilter({ ...filter, partition: null })}>
            ×
          </button>
        </span>
      )}
      {filter.search && (
        <span className="chip">
          search “{filter.search}”
          <button aria-label="remove search" onClick={() => setSearch('')}>
            ×
          </button>
        </span>
      )}
      {filter.clauses.map((c, i) => (
        <span className="chip" key={i} data-testid="filter-chip">
          {clauseText(c)}
          <button aria-label={`remove filter ${clauseText(c)}`} onClick={() => removeClause(i)}>
            ×
          </button>
        </span>
      ))}
      <button className="link" onClick={() => setFilter({ clauses: [], search: '', partition: null })}>
        clear all
      </button>
    </div>
  );
};
