import { create } from 'zustand';

/** Which runs the Runs view shows focused / compared; other screens (Analysis provenance) set it. */
interface RunSelection {
  focus: string | null;
  compareA: string | null;
  compareB: string | null;
  setFocus(id: string | null): void;
  setCompare(a: string | null, b: string | null): void;
}

export const useRunSelection = create<RunSelection>((set) => ({
  focus: null,
  compareA: null,
  compareB: null,
  setFocus(focus) {
    set({ focus });
  },
  setCompare(compareA, compareB) {
    set({ compareA, compareB });
  },
}));
