import { useEffect, useState } from 'react';
import type { FilterClause, FilterColumn } from '../../../shared/api';
import { useCurate } from './store';

const numeric = new Set<FilterColumn>(['pass_rate', 'response_chars', 'tokens']);
const text = new Set<FilterColumn>(['id', 'question']);

/** Parse "100-500", ">100", "<0.5", "=1" into a range; null when empty, undefined when unreadable. */
export const parseRange = (s: string): { min: number | null; max: number | null } | null | undefined => {
  const t = s.trim();
  if (!t) return null;
  const m = /^(-?[\d.]+)?\s*(?:-|–|\.\.)\s*(-?[\d.]+)?$/.exec(t);
  if (m && (m[1] || m[2])) return { min: m[1] ? Number(m[1]) : null, max: m[2] ? Number(m[2]) : null };
  const op = /^(>=?|<=?|=)\s*(-?[\d.]+)$/.exec(t);
  if (op) {
    const v = Number(op[2]);
    if (op[1]?.startsWith('>')) return { min: v, max: null };
    if (op[1]?.startsWith('<')) return { min: null, max: v };
    return { min: v, max: v };
  }
  const v = Number(t);
  return Number.isFinite(v) ? { min: v, max: v } : undefined;
};

const describe = (c: FilterClause | undefined): string => {
  if (!c || c.op === 'sql') return '';
  if (c.op === 'contains') return c.text;
  if (c.op === 'range') return `${c.min ?? ''}-${c.max ?? ''}`;
  return '';
};

/** The filter cell under a column header: a choice for categories, a range for numbers, a substring for text. */
export const ColumnFilter = ({ column }: { column: FilterColumn }) => {
  const clause = useCurate((s) => s.filter.clauses.find((c) => c.op !== 'sql' && c.column === column));
  const facets = useCurate((s) => s.facets);
  const [draft, setDraft] = useState(describe(clause));
  useEffect(() => setDraft(describe(clause)), [clause]);
  const set = useCurate.getState().setClause;
  const stop = (e: React.SyntheticEvent) => e.stopPropagation();

  if (column === 'difficulty' || column === 'source' || column === 'correct' || column === 'think_close') {
    const options: { label: string; value: string | boolean | null }[] =
      column === 'correct'
        ? [
            { label: 'correct', value: true },
            { label: 'incorrect', value: false },
          ]
        : column === 'think_close'
          ? [
              { label: 'complete', value: true },
              { label: 'incomplete', value: false },
            ]
          : (facets.find((f) => f.column === column)?.bins ?? []).map((b) => ({
              label: b.label,
              value: b.value as string | null,
            }));
    const current =
      clause?.op === 'in' && clause.values.length === 1 ? JSON.stringify(clause.values[0]) : clause ? '*multi' : '';
    return (
      <select
        className="tt-filter"
        aria-label={`filter ${column}`}
        value={current}
        onClick={stop}
        onChange={(e) => {
          const v = e.target.value;
          if (v === '') set(null, column);
          else if (v !== '*multi')
            set({ op: 'in', column, values: [JSON.parse(v) as string | boolean | null], negate: false });
        }}
      >
        <option value="">all</option>
        {current === '*multi' && <option value="*multi">(several)</option>}
        {options.map((o) => (
          <option key={o.label} value={JSON.stringify(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  if (!numeric.has(column) && !text.has(column)) return null;
  const apply = () => {
    if (text.has(column)) {
      set(draft.trim() ? { op: 'contains', column, text: draft.trim() } : null, column);
      return;
    }
    const r = parseRange(draft);
    if (r === undefined) return;
    set(r ? { op: 'range', column, min: r.min, max: r.max } : null, column);
  };
  return (
    <input
      className={`tt-filter${numeric.has(column) && parseRange(draft) === undefined ? ' invalid' : ''}`}
      aria-label={`filter ${column}`}
      placeholder={numeric.has(column) ? 'min-max' : 'contains'}
      value={draft}
      onClick={stop}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => e.key === 'Enter' && apply()}
    />
  );
};
