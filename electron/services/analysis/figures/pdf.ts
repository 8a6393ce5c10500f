import PDFDocument from 'pdfkit';
import { markerPath, type Point, type Scene, type Shape, type Stroke } from './scene';
import { fontFiles } from './fonts';
import { BASELINE_SHIFT } from './svg';

type Doc = InstanceType<typeof PDFDocument>;

const applyStroke = (doc: Doc, s: Stroke): void => {
  doc.lineWidth(s.width).strokeColor(s.color);
  if (s.dash && s.dash.length > 0) doc.dash(s.dash[0] as number, { space: (s.dash[1] ?? s.dash[0]) as number });
  else doc.undash();
};

const path = (doc: Doc, points: readonly Point[]): void => {
  points.forEach(([x, y], i) => (i === 0 ? doc.moveTo(x, y) : doc.lineTo(x, y)));
};

const drawShape = (doc: Doc, s: Shape): void => {
  switch (s.kind) {
    case 'line':
      if (s.points.length < 2) return;
      applyStroke(doc, s.stroke);
      doc.lineJoin('round');
      path(doc, s.points);
      doc.stroke();
      return;
    case 'area':
      if (s.points.length < 3) return;
      doc.save().fillOpacity(s.opacity).fillColor(s.fill);
      path(doc, s.points);
      doc.closePath().fill();
      doc.restore();
      return;
    case 'rect':
      doc.rect(s.x, s.y, s.w, s.h);
      if (s.fill && s.stroke) {
        applyStroke(doc, s.stroke);
        doc.fillColor(s.fill).fillAndStroke();
      } else if (s.fill) doc.fillColor(s.fill).fill();
      else if (s.stroke) {
        applyStroke(doc, s.stroke);
        doc.stroke();
      }
      return;
    case 'marker': {
      if (s.shape === 'circle') doc.circle(s.x, s.y, s.size / 2);
      else {
        path(doc, markerPath(s.shape, s.x, s.y, s.size));
        doc.closePath();
      }
      if (s.stroke) {
        applyStroke(doc, s.stroke);
        doc.fillColor(s.fill).fillAndStroke();
      } else doc.fillColor(s.fill).fill();
      return;
    }
    case 'text': {
      doc
        .font(s.bold ? 'bold' : 'regular')
        .fontSize(s.size)
        .fillColor(s.color);
      const w = doc.widthOfString(s.text);
      const dx = s.anchor === 'start' ? 0 : s.anchor === 'middle' ? -w / 2 : -w;
      const options = { lineBreak: false, baseline: 'alphabetic' as const };
      if (s.rotate === 0) {
        doc.text(s.text, s.x + dx, s.y + s.size * BASELINE_SHIFT, options);
      } else {
        doc.save().translate(s.x, s.y).rotate(s.rotate);
        doc.text(s.text, dx, s.size * BASELINE_SHIFT, options);
        doc.restore();
      }
      return;
    }
  }
};

/** A one-page vector PDF of the scene: text stays text, in an embedded (subset) Source Sans 3. */
export const sceneToPdf = (scene: Scene): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: [scene.width, scene.height],
      margin: 0,
      autoFirstPage: true,
      info: { Title: scene.title, Creator: 'Valley', Producer: 'Valley (pdfkit)' },
      // A fixed date keeps the same figure byte-for-byte the same.
      compress: true,
    });
    doc.info.CreationDate = new Date(Date.UTC(2000, 0, 1));
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const fonts = fontFiles();
    doc.registerFont('regular', fonts.regular);
    doc.registerFont('bold', fonts.bold);
    doc.rect(0, 0, scene.width, scene.height).fillColor('#ffffff').fill();
    for (const s of scene.shapes) drawShape(doc, s);
    doc.end();
  });
