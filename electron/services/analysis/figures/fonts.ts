import { dirname, join } from 'node:path';

/** The TrueType files embedded in PDFs and used to rasterize PNGs (Source Sans 3, SIL Open Font License). */
export const fontFiles = (): { regular: string; bold: string } => {
  const pkg = dirname(require.resolve('@expo-google-fonts/source-sans-3/package.json'));
  return {
    regular: join(pkg, '400Regular', 'SourceSans3_400Regular.ttf'),
    bold: join(pkg, '600SemiBold', 'SourceSans3_600SemiBold.ttf'),
  };
};
