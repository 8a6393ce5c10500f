import { describe, expect, it } from 'vitest';
import { isShare, pct } from '../../../shared/analysis/format';

describe('share formatting', () => {
  it('prints a share as a percentage with one decimal, and a dash when there is none', () => {
    expect([0, 0.1234, 0.5, 1, 0.0005, 0.99951].map(pct)).toEqual([
      '0.0%',
      '12.3%',
      '50.0%',
      '100.0%',
      '0.1%',
      '100.0%',
    ]);
    expect(pct(null)).toBe('–');
    expect(pct(undefined)).toBe('–');
  });
  it('knows which metrics are shares', () => {
    expect(['pass@1', 'pass@1/easy', 'completion_rate', 'think_rate'].every(isShare)).toBe(true);
    expect(['tokens', 'size'].some(isShare)).toBe(false);
  });
});
