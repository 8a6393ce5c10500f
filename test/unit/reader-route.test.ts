import { describe, expect, it } from 'vitest';
import { parseReaderRoute, readerHash } from '../../renderer/features/curate/reader-route';

describe('the detached reader route', () => {
  it('round-trips a dataset (any name), a row id and a table position', () => {
    const route = { dataset: 'ocr2 python/v2 & more', row: 1_290_599, index: 77 };
    expect(parseReaderRoute(readerHash(route))).toEqual(route);
    expect(parseReaderRoute('#/reader?dataset=demo-ocr2&row=5')).toEqual({ dataset: 'demo-ocr2', row: 5, index: 0 });
  });

  it('is null for other hashes, and names the bad part of a malformed link', () => {
    expect(parseReaderRoute('')).toBeNull();
    expect(parseReaderRoute('#/readers?dataset=a&row=1')).toBeNull();
    expect(parseReaderRoute('#/reader')).toEqual({ error: 'The reader link names no dataset' });
    expect(parseReaderRoute('#/reader?dataset=a&row=-1')).toEqual({
      error: "The reader link's row “-1” is not a row id",
    });
    expect(parseReaderRoute('#/reader?dataset=a&row=1&index=x')).toEqual({
      error: "The reader link's index “x” is not a table position",
    });
  });
});
