import { describe, expect, it } from 'vitest';
import { logTicks, niceDomain, niceTicks } from '../../../electron/services/analysis/figures/axes';
import { formatSize } from '../../../shared/analysis/format';
import { latexEscape } from '../../../electron/services/analysis/figures/tables';
import { sceneToSvg } from '../../../electron/services/analysis/figures/svg';
import { okabeIto } from '../../../electron/services/analysis/figures/style';

describe('figure building blocks', () => {
  it('round ticks and domains', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.12, 0.5, 4)).toEqual([0.2, 0.3, 0.4, 0.5]);
    expect(niceDomain(0.03, 0.58, 5)).toEqual([0, 0.6]);
    expect(niceTicks(-0.2, 0.1, 3)).toEqual([-0.2, 0]);
    expect(niceDomain(-0.17, 0.07, 5)).toEqual([-0.2, 0.1]);
  });

  it('decade and minor ticks on a log axis', () => {
    const t = logTicks(600, 50000);
    expect(t.major).toEqual([1000, 10000]);
    expect(t.minor).toContain(2000);
    expect(t.minor).toContain(40000);
    expect(t.minor).not.toContain(60000);
  });

  it('sizes as people write them', () => {
    expect([0, 500, 1000, 1500, 30000, 2_500_000].map(formatSize)).toEqual(['0', '500', '1K', '1.5K', '30K', '2.5M']);
  });

  it('LaTeX escaping', () => {
    expect(latexEscape('a_b & 50% #1 {x} ~ ^ \\')).toBe(
      'a\\_b \\& 50\\% \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}',
    );
    expect(latexEscape('qwen · all')).toBe('qwen $\\cdot$ all');
  });

  it('SVG escapes text and keeps sizes in points', () => {
    const svg = sceneToSvg({
      width: 100,
      height: 50,
      title: 'a < b',
      shapes: [{ kind: 'text', x: 1, y: 2, text: 'x & <y>', size: 8, color: '#000', anchor: 'start', rotate: -90 }],
    });
    expect(svg).toContain('width="100pt"');
    expect(svg).toContain('<title>a &lt; b</title>');
    expect(svg).toContain('x &amp; &lt;y&gt;');
    expect(svg).toContain('rotate(-90)');
  });

  it('the palette is Okabe–Ito without yellow', () => {
    expect(okabeIto).toContain('#0072B2');
    expect(okabeIto).not.toContain('#F0E442');
  });
});
