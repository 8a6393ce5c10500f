import { markerPath, type Point, type Scene, type Shape, type Stroke } from './scene';
import { FONT_FAMILY } from './style';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number): string => (Math.round(v * 100) / 100).toString();
const pts = (p: readonly Point[]): string => p.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
const strokeAttrs = (s: Stroke): string =>
  `stroke="${s.color}" stroke-width="${num(s.width)}"${s.dash ? ` stroke-dasharray="${s.dash.map(num).join(' ')}"` : ''}`;

/** How far below the middle of a line of text its baseline lies, in em. */
export const BASELINE_SHIFT = 0.34;

const shapeToSvg = (s: Shape): string => {
  switch (s.kind) {
    case 'line':
      return `<polyline points="${pts(s.points)}" fill="none" ${strokeAttrs(s.stroke)} stroke-linejoin="round" stroke-linecap="butt"/>`;
    case 'area':
      return `<polygon points="${pts(s.points)}" fill="${s.fill}" fill-opacity="${num(s.opacity)}" stroke="none"/>`;
    case 'rect':
      return `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" fill="${s.fill ?? 'none'}"${
        s.stroke ? ` ${strokeAttrs(s.stroke)}` : ''
      }/>`;
    case 'marker': {
      const stroke = s.stroke ? ` ${strokeAttrs(s.stroke)}` : '';
      if (s.shape === 'circle')
        return `<circle cx="${num(s.x)}" cy="${num(s.y)}" r="${num(s.size / 2)}" fill="${s.fill}"${stroke}/>`;
      return `<polygon points="${pts(markerPath(s.shape, s.x, s.y, s.size))}" fill="${s.fill}"${stroke}/>`;
    }
    case 'text': {
      const dy = num(s.size * BASELINE_SHIFT);
      const attrs = `font-size="${num(s.size)}" fill="${s.color}" text-anchor="${s.anchor}"${s.bold ? ' font-weight="bold"' : ''}${
        s.ref ? ` data-ref="${esc(s.ref)}"` : ''
      }`;
      if (s.rotate === 0)
        return `<text x="${num(s.x)}" y="${num(s.y + s.size * BASELINE_SHIFT)}" ${attrs}>${esc(s.text)}</text>`;
      return `<text transform="translate(${num(s.x)} ${num(s.y)}) rotate(${s.rotate})" x="0" y="${dy}" ${attrs}>${esc(s.text)}</text>`;
    }
  }
};

/** A standalone SVG document (sizes in points, text as text in Source Sans 3 with generic fallbacks). */
export const sceneToSvg = (scene: Scene): string =>
  [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${num(scene.width)}pt" height="${num(scene.height)}pt" viewBox="0 0 ${num(scene.width)} ${num(scene.height)}" font-family="'${FONT_FAMILY}', 'Source Sans Pro', Helvetica, Arial, sans-serif">`,
    `<title>${esc(scene.title)}</title>`,
    `<rect x="0" y="0" width="${num(scene.width)}" height="${num(scene.height)}" fill="#ffffff"/>`,
    ...scene.shapes.map(shapeToSvg),
    `</svg>`,
    '',
  ].join('\n');
