/**
 * A figure as a flat list of drawing primitives in points (1/72 in), origin top left. The chart code builds a
 * Scene once; the SVG and PDF writers draw the same Scene, so both formats have the same geometry.
 */
export type Point = readonly [number, number];

export interface Stroke {
  readonly color: string;
  readonly width: number;
  /** Dash pattern in points, e.g. [3, 2]. */
  readonly dash?: readonly number[];
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

export type Shape =
  | { readonly kind: 'line'; readonly points: readonly Point[]; readonly stroke: Stroke }
  | { readonly kind: 'area'; readonly points: readonly Point[]; readonly fill: string; readonly opacity: number }
  | {
      readonly kind: 'rect';
      readonly x: number;
      readonly y: number;
      readonly w: number;
      readonly h: number;
      readonly fill: string | null;
      readonly stroke: Stroke | null;
    }
  | {
      readonly kind: 'marker';
      readonly x: number;
      readonly y: number;
      readonly size: number;
      readonly shape: MarkerShape;
      readonly fill: string;
      readonly stroke: Stroke | null;
    }
  | {
      readonly kind: 'text';
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly size: number;
      readonly color: string;
      readonly anchor: 'start' | 'middle' | 'end';
      /** The y coordinate is the text's vertical middle (the writers shift the baseline). */
      readonly rotate: 0 | -90;
      readonly bold?: boolean;
      /** Text that clicks through to something (SVG only): e.g. a run id, kept as a data attribute. */
      readonly ref?: string;
    };

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly shapes: Shape[];
}

/** Approximate advance width of text in Source Sans 3 (average glyph ≈ 0.5 em; digits 0.5 em, capitals 0.6 em). */
export const textWidth = (text: string, size: number): number => {
  let em = 0;
  for (const ch of text) {
    if (/[A-Z]/.test(ch)) em += 0.6;
    else if (/[0-9]/.test(ch)) em += 0.5;
    else if (/[ilj.,:;'|!()[\]]/.test(ch)) em += 0.26;
    else if (ch === ' ') em += 0.2;
    else if (/[mwMW%@]/.test(ch)) em += 0.78;
    else em += 0.49;
  }
  return em * size;
};

/** Polygon corners of a marker, centred on (x, y), with `size` its width in points. */
export const markerPath = (shape: MarkerShape, x: number, y: number, size: number): Point[] => {
  const r = size / 2;
  switch (shape) {
    case 'square':
      return [
        [x - r, y - r],
        [x + r, y - r],
        [x + r, y + r],
        [x - r, y + r],
      ];
    case 'triangle':
      return [
        [x, y - r * 1.15],
        [x + r * 1.1, y + r * 0.75],
        [x - r * 1.1, y + r * 0.75],
      ];
    case 'diamond':
      return [
        [x, y - r * 1.25],
        [x + r * 1.05, y],
        [x, y + r * 1.25],
        [x - r * 1.05, y],
      ];
    case 'circle':
      return [];
  }
};
