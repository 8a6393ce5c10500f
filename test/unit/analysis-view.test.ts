import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisViewDefaults } from '../../shared/api';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

describe('saved Analysis settings (analysis.view.get / set)', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
  });
  afterAll(async () => t?.close());

  it('gives the defaults at first, and the saved settings back after a save', async () => {
    expect(await t.call('analysis.view.get', {})).toEqual({ view: analysisViewDefaults(), dropped: [] });
    const view = {
      ...analysisViewDefaults(),
      metric: 'pass@1/hard',
      rangeMin: 1000,
      hidden: ['a|all'],
      study: 'small',
    };
    await t.call('analysis.view.set', { view });
    expect(await t.call('analysis.view.get', {})).toEqual({ view, dropped: [] });
  });

  it('resets only the fields a saved value breaks, and refuses to save a bad one', async () => {
    // as an older or broken version may have left it in the workspace's ui state
    await t.call('curate.ui.set', { key: 'analysis', value: { errors: 'sometimes', study: 'small', rangeMax: -3 } });
    expect(await t.call('analysis.view.get', {})).toEqual({
      view: { ...analysisViewDefaults(), study: 'small' },
      dropped: ['errors', 'rangeMax'],
    });
    await expect(
      t.call('analysis.view.set', { view: { ...analysisViewDefaults(), errors: 'sometimes' as 'auto' } }),
    ).rejects.toThrow(/errors/);
  });
});
