import { useEffect } from 'react';
import { useData } from './store';

const fmt = new Intl.NumberFormat('en-US');

export const DataScreen = () => {
  const { datasets, loaded, load } = useData();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section>
      <div className="screen-head">
        <h1>Data</h1>
        <span className="muted">Datasets in this workspace</span>
      </div>
      {loaded && datasets.length === 0 && <div className="empty-state">No datasets yet.</div>}
      {datasets.length > 0 && (
        <table className="data" data-testid="datasets-table">
          <thead>
            <tr>
              <th>Name</th><th>Kind</th><th className="num">Rows</th><th>Preset</th><th>Storage</th><th>Sources</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.name}>
                <td>{d.isDemo && <span className="badge demo">DEMO</span>}{d.name}</td>
                <td>{d.kind}</td>
                <td className="num">{fmt.format(d.rows)}</td>
                <td>{d.preset}</td>
                <td>{d.storage}</td>
                <td className="muted">{d.sources.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
