import type { Facet } from '../../../shared/api';

/**
 * Performance marks for "brush → every histogram redrawn", read by the browser bench (scripts/bench-brush.ts):
 *   valley:brush          a brush or bar click changed the filter
 *   valley:facets         the new counts arrived from the backend
 *   valley:drawn          the last of the charts finished drawing them
 * and the measures valley:brush→drawn (the whole), valley:brush→facets (backend) and valley:facets→drawn (React and
 * Plotly), one entry per brush.
 */
let armed = false;
let pending: { facets: readonly Facet[]; left: Set<string> } | null = null;

export const markBrush = (): void => {
  armed = true;
  pending = null;
  performance.mark('valley:brush');
};

/** The counts for the current filter arrived (called by the store before they are set). */
export const markFacets = (facets: readonly Facet[]): void => {
  if (!armed) return;
  performance.mark('valley:facets');
  pending = { facets, left: new Set(facets.map((f) => f.name)) };
};

/** One chart shows `facets` (drawn, or left as it was because its data did not change). */
export const markDrawn = (facets: readonly Facet[], name: string): void => {
  if (!pending || pending.facets !== facets) return;
  pending.left.delete(name);
  if (pending.left.size > 0) return;
  performance.mark('valley:drawn');
  performance.measure('valley:brush→drawn', 'valley:brush', 'valley:drawn');
  performance.measure('valley:brush→facets', 'valley:brush', 'valley:facets');
  performance.measure('valley:facets→drawn', 'valley:facets', 'valley:drawn');
  armed = false;
  pending = null;
};
