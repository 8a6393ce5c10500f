import type { DatasetInfo } from '../../../shared/api';
import type { Engine, Row, Session } from '../engine/engine';

export const relationFor = (name: string): string => `ds_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;

export const registerDataset = async (s: Session, d: Omit<DatasetInfo, 'createdAt'>): Promise<void> => {
  await s.run(
    `INSERT OR REPLACE INTO valley_datasets
       (name, kind, relation, storage, preset, roles, sources, rows, tokens_estimated, is_demo)
     VALUES ($name, $kind, $relation, $storage, $preset, $roles, $sources, $rows, $te, $demo)`,
    {
      name: d.name,
      kind: d.kind,
      relation: d.relation,
      storage: d.storage,
      preset: d.preset,
      roles: JSON.stringify(d.roles),
      sources: JSON.stringify(d.sources),
      rows: d.rows,
      te: d.tokensEstimated,
      demo: d.isDemo,
    },
  );
};

const parseJson = <T>(v: unknown, fallback: T): T => {
  if (typeof v !== 'string') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
};

const toInfo = (r: Row): DatasetInfo => ({
  name: String(r['name']),
  kind: r['kind'] as DatasetInfo['kind'],
  relation: String(r['relation']),
  storage: r['storage'] as DatasetInfo['storage'],
  preset: String(r['preset']),
  roles: parseJson<Record<string, string | null>>(r['roles'], {}),
  sources: parseJson<string[]>(r['sources'], []),
  rows: Number(r['rows']),
  createdAt: String(r['created_at']),
  isDemo: r['is_demo'] === true,
  tokensEstimated: r['tokens_estimated'] === true,
});

export const listDatasets = async (engine: Engine): Promise<DatasetInfo[]> =>
  (await engine.all('SELECT * FROM valley_datasets ORDER BY created_at, name')).map(toInfo);

export const getDataset = async (engine: Engine, name: string): Promise<DatasetInfo | null> => {
  const rows = await engine.all('SELECT * FROM valley_datasets WHERE name = $name', { name });
  return rows[0] ? toInfo(rows[0]) : null;
};
