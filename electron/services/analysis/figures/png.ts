import { Resvg } from '@resvg/resvg-js';
import { fontFiles } from './fonts';
import { FONT_FAMILY } from './style';

/** Rasterize an SVG (sized in points) at `dpi` with the bundled font; returns the PNG and its pixel size. */
export const svgToPng = (svg: string, widthPt: number, dpi: number): { png: Buffer; width: number; height: number } => {
  const fonts = fontFiles();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round((widthPt / 72) * dpi) },
    background: '#ffffff',
    font: { fontFiles: [fonts.regular, fonts.bold], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
};
