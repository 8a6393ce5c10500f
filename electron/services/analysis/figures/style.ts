import type { MarkerShape } from './scene';

/** Okabe & Ito's colour-blind-safe palette, in the order series get them (yellow left out: too light on white). */
export const okabeIto = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
/** Markers differ too, so series stay apart in greyscale print. */
export const markerShapes: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

export const seriesColor = (i: number): string => okabeIto[i % okabeIto.length] as string;
export const seriesMarker = (i: number): MarkerShape => markerShapes[i % markerShapes.length] as MarkerShape;

export const FONT_FAMILY = 'Source Sans 3';

/** Figure sizes of a two-column paper (points): single column 3.25 in, double column 6.75 in. */
export const presets = {
  single: { width: 3.25 * 72, font: 8, tick: 7, legend: 7, line: 1, marker: 3.6 },
  double: { width: 6.75 * 72, font: 9, tick: 8, legend: 8, line: 1.1, marker: 4 },
} as const;
export type PresetName = keyof typeof presets;
export type Preset = (typeof presets)[PresetName];

export const ink = { text: '#1a1a1a', axis: '#333333', grid: '#e6e6e6', muted: '#666666' } as const;
