import Plotly from 'plotly.js-dist-min';
import type { Config, Data, Layout } from 'plotly.js';
import { planUpdate, yTopOf, type Drawn } from './plot-update';

export interface DrawRequest {
  readonly data: Data[];
  readonly layout: Partial<Layout>;
  readonly config: Partial<Config>;
  /** Bar heights and colours may be updated in place (see planUpdate). */
  readonly inPlace: boolean;
  /** Called once the chart shows this request (not called for requests overtaken by a newer one). */
  readonly onDrawn?: () => void;
}

/** An in-place update that has not settled by then is given up for a full redraw. */
const ANIMATE_TIMEOUT_MS = 400;

/**
 * Plotly.animate on a trace holding a selection (selectedpoints, set when the user brushes that chart) may never
 * settle, and the chart's transition queue stays stuck until a full Plotly.react; such charts are redrawn in full.
 */
const hasSelection = (el: HTMLElement): boolean =>
  ((el as HTMLElement & { data?: { selectedpoints?: unknown }[] }).data ?? []).some(
    (t) => t.selectedpoints !== undefined && t.selectedpoints !== null,
  );

/**
 * Draws a chart's latest props, one draw at a time: a request arriving while a draw runs waits, and only the
 * newest waiting request is drawn (Plotly.animate calls that overlap interrupt each other).
 */
export const chartDrawer = (el: HTMLElement) => {
  let shown: Drawn | null = null;
  let want: DrawRequest | null = null;
  let busy = false;
  /** Plotly.react, an in-place chart's y axis from 0 to yTopOf its counts (the top the bars path compares with). */
  const react = (w: DrawRequest) => {
    const top = w.inPlace ? yTopOf(w.data) : null;
    const layout = top === null ? w.layout : { ...w.layout, yaxis: { ...w.layout.yaxis, range: [0, top] } };
    return Plotly.react(el, w.data, layout, w.config);
  };
  const draw = async (w: DrawRequest): Promise<void> => {
    const frame = JSON.stringify([w.layout, w.config]);
    const planned = w.inPlace ? planUpdate(shown, w.data, frame) : ({ kind: 'full' } as const);
    const plan = planned.kind === 'bars' && hasSelection(el) ? ({ kind: 'full' } as const) : planned;
    if (plan.kind === 'bars') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('in-place update did not settle')), ANIMATE_TIMEOUT_MS);
      });
      try {
        const animation = Plotly.animate(
          el,
          {
            data: plan.y.map((y, i) => ({ y, marker: { color: plan.colors[i] } }) as Data),
            traces: plan.y.map((_, i) => i),
            // the axis is redrawn only when its top moves (most of an update's cost)
            ...(plan.moveAxis ? { layout: { yaxis: { range: [0, plan.yTop] } } } : {}),
          },
          { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: 'immediate' },
        );
        await Promise.race([animation, timeout]);
      } catch {
        await react(w);
      } finally {
        clearTimeout(timer);
      }
    } else if (plan.kind === 'full') {
      await react(w);
    }
    shown = { data: w.data, frame };
  };
  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      while (want) {
        const w = want;
        want = null;
        await draw(w);
        if (!want) w.onDrawn?.();
      }
    } finally {
      busy = false;
    }
  };
  return {
    request(w: DrawRequest): Promise<void> {
      want = w;
      return pump();
    },
  };
};
