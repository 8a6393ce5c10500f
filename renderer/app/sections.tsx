import type { ComponentType } from 'react';
import type { SectionId } from '../features/shell/store';
import { DataScreen } from '../features/data/DataScreen';
import { CurateScreen } from '../features/curate/CurateScreen';
import { useCurate } from '../features/curate/store';
import { RunsScreen } from '../features/runs/RunsScreen';
import { AnalysisScreen } from '../features/analysis/AnalysisScreen';
import { StudyScreen } from '../features/study/StudyScreen';

export interface Section {
  id: SectionId;
  label: string;
  /** An SVG path (24×24 viewBox) for the sidebar icon. */
  icon: string;
  shortcut: string;
  component: ComponentType;
  /** What "Reset this panel" does when the whole screen failed (drop the saved view that may have broken it). */
  reset?: () => void;
}

/** The four screens, in sidebar order. Each feature owns its screen component. */
export const sections: readonly Section[] = [
  {
    id: 'data',
    label: 'Data',
    shortcut: '1',
    component: DataScreen,
    icon: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  },
  {
    id: 'curate',
    label: 'Curate',
    shortcut: '2',
    component: CurateScreen,
    reset: () => useCurate.getState().resetView(),
    icon: 'M3 5h18l-7 8v6l-4 2v-8z',
  },
  { id: 'runs', label: 'Runs', shortcut: '3', component: RunsScreen, icon: 'M5 3l14 9-14 9z' },
  { id: 'analysis', label: 'Analysis', shortcut: '4', component: AnalysisScreen, icon: 'M3 3v18h18M7 15l4-6 3 4 5-8' },
  {
    id: 'study',
    label: 'Study',
    shortcut: '5',
    component: StudyScreen,
    icon: 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z',
  },
];
