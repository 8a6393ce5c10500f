import type { ReactNode } from 'react';

/** What every problem row shows: its id, title and difficulty. */
export interface ProblemRow {
  questionId: string;
  title: string | null;
  difficulty: string | null;
}

/** A numeric column after the problem's own three: its key, header and cell. */
export interface ProblemColumn<P> {
  key: string;
  head: ReactNode;
  cell: (p: P) => ReactNode;
}

/**
 * Benchmark problems as rows (id, title, difficulty, then the given columns); a row opens the problem. `limit`
 * shows the first rows only and says how many more there are; `empty` is shown when there are none.
 */
export const ProblemTable = <P extends ProblemRow>({
  rows,
  columns,
  onOpen,
  testId,
  className = '',
  wrapClassName = '',
  limit,
  empty,
}: {
  rows: readonly P[];
  columns: readonly ProblemColumn<P>[];
  onOpen: (questionId: string) => void;
  testId: string;
  className?: string;
  wrapClassName?: string;
  limit?: number;
  empty: string;
}) => {
  const visible = limit === undefined ? rows : rows.slice(0, limit);
  return (
    <div className={`problems-wrap ${wrapClassName}`.trim()}>
      <table className={`data compact ${className}`.trim()} data-testid={testId}>
        <thead>
          <tr>
            <th>Problem</th>
            <th>Title</th>
            <th>Difficulty</th>
            {columns.map((c) => (
              <th key={c.key} className="num">
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.map((p) => (
            <tr
              key={p.questionId}
              data-problem={p.questionId}
              className="clickable"
              onClick={() => onOpen(p.questionId)}
            >
              <td>
                <code>{p.questionId}</code>
              </td>
              <td className="clip">{p.title ?? ''}</td>
              <td>{p.difficulty ?? '–'}</td>
              {columns.map((c) => (
                <td key={c.key} className="num">
                  {c.cell(p)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {visible.length < rows.length && (
        <p className="muted">… and {rows.length - visible.length} more (narrow the filter)</p>
      )}
      {rows.length === 0 && <div className="empty-state">{empty}</div>}
    </div>
  );
};
