import { useEffect, useRef, useState } from 'react';
import Plotly from 'plotly.js-dist-min';
import type { Config, Data, Layout, PlotMouseEvent, PlotSelectionEvent } from 'plotly.js';
import { chartDrawer } from './plot-draw';

export interface PlotProps {
  data: Data[];
  layout?: Partial<Layout>;
  config?: Partial<Config>;
  height?: number;
  onClick?: (e: PlotMouseEvent) => void;
  onSelected?: (e: PlotSelectionEvent | undefined) => void;
  /** Called each time the chart shows new props (drawn, or left as it was when nothing it shows changed). */
  onDrawn?: () => void;
  /**
   * Bar charts whose props change only in bar heights and colours are updated in place (Plotly.animate with no
   * relayout) instead of redrawn. Their y axis runs from 0 to a round top above the tallest bar (plot-update.ts,
   * yTopFor), set by the chart: the layout's own y range is not used.
   */
  inPlace?: boolean;
  className?: string;
  testId?: string;
}

/** The document's theme (`data-theme` on <html>, set by the shell), followed so charts redraw when it changes. */
const useDocumentTheme = (): string | undefined => {
  const [theme, setTheme] = useState(() => document.documentElement.dataset['theme']);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset['theme']));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
};

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** The theme's colours as plotly layout defaults: transparent paper, theme text and grid. */
export const themedLayout = (layout: Partial<Layout>, height: number): Partial<Layout> => ({
  height,
  margin: { l: 56, r: 16, t: 28, b: 44 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  font: { family: cssVar('--sans'), size: 12, color: cssVar('--text') },
  colorway: [1, 2, 3, 4, 5, 6].map((i) => cssVar(`--series-${i}`)),
  ...layout,
  xaxis: { gridcolor: cssVar('--border'), zerolinecolor: cssVar('--border'), ...layout.xaxis },
  yaxis: { gridcolor: cssVar('--border'), zerolinecolor: cssVar('--border'), ...layout.yaxis },
  legend: { orientation: 'h', y: -0.2, ...layout.legend },
});

/** A plotly.js chart that follows the app theme and redraws in place (Plotly.react) when its props change. */
export const Plot = ({
  data,
  layout = {},
  config = {},
  height = 320,
  onClick,
  onSelected,
  onDrawn,
  inPlace,
  className,
  testId,
}: PlotProps) => {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useDocumentTheme();
  // Plotly adds `.on` to the element only once the first draw has finished; count draws so the listener
  // effect below runs again after that (otherwise a chart drawn once never gets its click handler).
  const [, setDrawn] = useState(0);
  const drawer = useRef<ReturnType<typeof chartDrawer> | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    drawer.current ??= chartDrawer(el);
    const fullConfig: Partial<Config> = {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ['sendDataToCloud', 'lasso2d'],
      ...config,
    };
    const drawn = () => {
      setDrawn((n) => (n === 0 ? 1 : n));
      onDrawn?.();
    };
    void drawer.current.request({
      data,
      layout: themedLayout(layout, height),
      config: fullConfig,
      inPlace: inPlace ?? false,
      onDrawn: drawn,
    });
  }, [data, layout, config, height, theme]);
  useEffect(() => {
    const el = ref.current as
      | (HTMLDivElement & { on?: (e: string, f: (x: never) => void) => void; removeAllListeners?: (e: string) => void })
      | null;
    if (!el?.on) return;
    if (onClick) el.on('plotly_click', onClick);
    if (onSelected) {
      el.on('plotly_selected', onSelected);
      el.on('plotly_deselect', () => onSelected(undefined));
    }
    return () => {
      el.removeAllListeners?.('plotly_click');
      el.removeAllListeners?.('plotly_selected');
      el.removeAllListeners?.('plotly_deselect');
    };
  });
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) Plotly.purge(el);
    };
  }, []);
  return <div ref={ref} className={className} data-testid={testId} />;
};
