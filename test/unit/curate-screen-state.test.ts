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
      hiddenColumns: ['source', 'think_close'],
      columnWidths: { question: 900, tokens: 48 },
    };
    const { state, dropped } = parseScreenState(saved);
    expect(dropped).toEqual([]);
    expect(state).toEqual(saved);
  });

  it('loads a view saved before columns could be chosen: every column shown at its default width', () => {
    const old = { sort: { column: 'tokens', desc: true }, panel: 'sql', showThink: false };
    const { state, dropped } = parseScreenState(old);
    expect(dropped).toEqual([]);
    expect(state).toEqual({ ...screenDefaults(), ...old });
    expect(state.hiddenColumns).toEqual([]);
    expect(state.columnWidths).toEqual({});
  });

  it('drops a bad column choice or width on its own, keeping the rest of the view', () => {
    const r1 = parseScreenState({ hiddenColumns: ['tokens', 'nope'], columnWidths: { question: 700 }, panel: 'sql' });
    expect(r1.dropped).toEqual(['hiddenColumns']);
    expect(r1.state.columnWidths).toEqual({ question: 700 });
    expect(r1.state.panel).toBe('sql');
    for (const columnWidths of [{ question: 5 }, { question: 99_999 }, { question: 12.5 }, { nope: 100 }, [100]]) {
      const r = parseScreenState({ columnWidths, hiddenColumns: ['tokens'] });
      expect(r.dropped).toEqual(['columnWidths']);
      expect(r.state.columnWidths).toEqual({});
      expect(r.state.hiddenColumns).toEqual(['tokens']);
    }
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
