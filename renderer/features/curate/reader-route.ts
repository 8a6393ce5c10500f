/** The detached reader's route: `#/reader?dataset=NAME&row=ROW_ID&index=TABLE_POSITION`. */
export interface ReaderRoute {
  dataset: string;
  /** The trace's row id. */
  row: number;
  /** Its position in the table's order (filter and sort of the saved Curate view), for next/previous. */
  index: number;
}

const whole = (text: string | null): number | null => (text !== null && /^\d{1,12}$/.test(text) ? Number(text) : null);

/** The route a hash names: null when it is not the reader's, an error naming the bad part when it is malformed. */
export const parseReaderRoute = (hash: string): ReaderRoute | { error: string } | null => {
  const m = /^#\/reader(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  const q = new URLSearchParams(m[1] ?? '');
  const dataset = q.get('dataset');
  if (!dataset) return { error: 'The reader link names no dataset' };
  const row = whole(q.get('row'));
  if (row === null) return { error: `The reader link's row “${q.get('row') ?? ''}” is not a row id` };
  const index = q.get('index') === null ? 0 : whole(q.get('index'));
  if (index === null) return { error: `The reader link's index “${q.get('index') ?? ''}” is not a table position` };
  return { dataset, row, index };
};

export const readerHash = (r: ReaderRoute): string =>
  `#/reader?${new URLSearchParams({ dataset: r.dataset, row: String(r.row), index: String(r.index) }).toString()}`;
