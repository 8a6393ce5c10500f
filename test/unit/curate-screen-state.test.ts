import { describe, expect, it } from 'vitest';
import { curateScreenDefaults as screenDefaults, parseCurateScreenState as parseScreenState } from '../../shared/api';

describe('saved Curate screen state', () => {
  it('restores a valid saved view as it was', () => {
    const saved = {
      filter: { clauses: [{ op: 'range', column: 'pass_rate', min: 0.5, max: null }], search: 'dp', partition: 'hard' },
      sort: { column: 'tokens', desc: true },
      markPartition: 'hard',
      openRow: 12,
      compareRow: null,
      panel: 'contamination',
      showThink: true,
    };
    const { state, dropped } = parseScreenState(saved);
    expect(dropped).toEqual([]);
    expect(state).toEqual(saved);
  });

  it('drops each field that does not pass and keeps the others', () => {
    const { state, dropped } = parseScreenState({
      panel: 'no-such-tab',
      sort: { column: 'DROP TABLE', desc: 'yes' },
      filter: { clauses: [{ op: 'range', column: 'pass_rate', min: 'lots' }] },
      openRow: -3,
      showThink: true,
    });
    expect(dropped.sort()).toEqual(['filter', 'openRow', 'panel', 'sort']);
    expect(state).toEqual({ ...screenDefaults(), showThink: true });
  });

  it('treats a saved value that is not an object as unreadable, and nothing saved as the defaults', () => {
    expect(parseScreenState('curate').dropped).toEqual(['all']);
    expect(parseScreenState([1, 2]).state).toEqual(screenDefaults());
    expect(parseScreenState(null)).toEqual({ state: screenDefaults(), dropped: [] });
  });
});
