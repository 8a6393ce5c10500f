import { useAnalysis } from './store';
import { formatSize, isShare } from '../../../shared/analysis/format';

/** Fit and valley statistics per series, as in docs/ANALYSIS.md. */
export const ValleyTable = () => {
  const { scaling, metric } = useAnalysis();
  const share = isShare(metric);
  const v = (x: number | null | undefined) =>
    x === null || x === undefined ? '–' : share ? `${(x * 100).toFixed(1)}%` : x.toFixed(3);
  const se = (x: number | null | undefined) =>
    x === null || x === undefined ? '' : ` ± ${share ? (x * 100).toFixed(1) : x.toFixed(3)}`;
  return (
    <table className="data" data-testid="valley-table">
      <thead>
        <tr>
          <th>Series</th>
          <th className="num">a</th>
          <th className="num">b / decade</th>
          <th className="num">R²</th>
          <th className="num">fitted</th>
          <th className="num">baseline</th>
          <th className="num">valley</th>
          <th className="num">drop</th>
          <th className="num">back to baseline</th>
          <th className="num">gain to largest</th>
        </tr>
      </thead>
      <tbody>
        {(scaling?.fits ?? []).map((f) => (
          <tr key={f.key}>
            <td>{f.label}</td>
            <td className="num">{f.fit ? `${v(f.fit.intercept)}${se(f.fit.interceptSe)}` : '–'}</td>
            <td className="num">
              {f.fit ? (
                `${share ? `${(f.fit.slope * 100).toFixed(1)} pts` : v(f.fit.slope)}${se(f.fit.slopeSe)}`
              ) : (
                <span title={f.fitProblem ?? ''}>–</span>
              )}
            </td>
            <td className="num">{f.fit?.r2?.toFixed(3) ?? '–'}</td>
            <td className="num">
              {f.fit ? `${formatSize(f.fit.minSize)}–${formatSize(f.fit.maxSize)} (${f.fit.points})` : '–'}
            </td>
            <td className="num">{v(f.valley?.baseline)}</td>
            <td className="num">
              {f.valley ? `${v(f.valley.valleyValue)} @ ${formatSize(f.valley.valleySize)}` : '–'}
            </td>
            <td className="num">
              {f.valley?.dropPercent === null || !f.valley ? '–' : `${f.valley.dropPercent.toFixed(1)}%`}
            </td>
            <td className="num">{f.valley?.recoverySize ? formatSize(f.valley.recoverySize) : '–'}</td>
            <td className="num">
              {f.valley
                ? `${share ? `${(f.valley.gainAbsolute * 100).toFixed(1)} pts` : f.valley.gainAbsolute.toFixed(3)} → ${formatSize(f.valley.largestSize)}`
                : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
