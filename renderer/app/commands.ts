import { useEffect } from 'react';
import { usePalette, type PaletteCommand } from '../features/palette/store';
import { useShell } from '../features/shell/store';
import { useData } from '../features/data/store';
import { useCurate } from '../features/curate/store';
import { useReader } from '../features/curate/reader-store';
import { useCluster } from '../features/cluster/store';
import { useProblems } from '../features/runs/problems-store';
import { useRunSelection } from '../features/runs/selection';

/** Focus (and scroll to) an element of a screen once it has rendered. */
const focusLater = (selector: string) =>
  setTimeout(() => {
    const el = document.querySelector<HTMLElement>(selector);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  }, 80);

const go = useShell.getState().go;

/** Do what a screen's key does (its handler listens on window), after the palette has closed. */
const press = (key: string) => setTimeout(() => window.dispatchEvent(new KeyboardEvent('keydown', { key })), 0);

/**
 * Every action of the app, reachable from the palette, with its key where it has one. Screen keys (j/k, f, r …) are
 * listed too, so the palette is also the list of shortcuts.
 */
export const appCommands = (): PaletteCommand[] => [
  {
    id: 'data.import',
    group: 'Data',
    title: 'Import a trace dataset…',
    run: () => {
      go('data');
      useData.getState().open('import');
    },
  },
  {
    id: 'data.results',
    group: 'Data',
    title: 'Import results (LiveCodeBench, torchtune logs, CSV)…',
    run: () => {
      go('data');
      useData.getState().open('results');
    },
  },
  {
    id: 'curate.partition',
    group: 'Curate',
    title: 'New partition…',
    run: () => {
      go('curate');
      useCurate.getState().set({ panel: 'partitions' });
      focusLater('[data-testid="partition-name"]');
    },
  },
  {
    id: 'curate.subset',
    group: 'Curate',
    title: 'New nested subsets and export…',
    run: () => {
      go('curate');
      useCurate.getState().set({ panel: 'subsets' });
    },
  },
  {
    id: 'curate.contamination',
    group: 'Curate',
    title: 'Check contamination against benchmarks',
    run: () => {
      go('curate');
      useCurate.getState().set({ panel: 'contamination' });
    },
  },
  {
    id: 'curate.sql',
    group: 'Curate',
    title: 'SQL over the dataset',
    run: () => {
      go('curate');
      useCurate.getState().set({ panel: 'sql' });
    },
  },
  {
    id: 'curate.search',
    group: 'Curate',
    title: 'Search traces',
    run: () => {
      go('curate');
      focusLater('[data-testid="trace-search"]');
    },
  },
  {
    id: 'curate.columns',
    group: 'Curate',
    title: 'Choose the table columns…',
    run: () => {
      go('curate');
      useCurate.setState({ columnsOpen: true });
    },
  },
  {
    id: 'curate.undo',
    group: 'Curate',
    title: 'Undo',
    shortcut: 'Ctrl+Z',
    run: () => void useCurate.getState().undo(),
  },
  {
    id: 'curate.redo',
    group: 'Curate',
    title: 'Redo',
    shortcut: 'Ctrl+Shift+Z',
    run: () => void useCurate.getState().redo(),
  },
  {
    id: 'reader.toggle',
    group: 'Traces',
    title: 'Full-width reader on/off',
    shortcut: 'R',
    run: () => {
      go('curate');
      useCurate.getState().set({ panel: 'trace' });
      useReader.getState().setWide(!useReader.getState().wide);
    },
  },
  {
    id: 'reader.fold',
    group: 'Traces',
    title: 'Fold/unfold the reasoning',
    shortcut: 'F',
    run: () => useReader.getState().toggleFolded(),
  },
  {
    id: 'reader.next',
    group: 'Traces',
    title: 'Next trace (in the reader and trace panel)',
    shortcut: 'J',
    run: () => press('j'),
  },
  { id: 'reader.prev', group: 'Traces', title: 'Previous trace', shortcut: 'K', run: () => press('k') },
  {
    id: 'reader.window',
    group: 'Traces',
    title: 'Read the open trace in a window of its own',
    shortcut: 'W',
    run: () => useReader.getState().openWindow(),
  },
  {
    id: 'reader.final',
    group: 'Traces',
    title: 'Jump to the final code',
    shortcut: 'C',
    run: () => document.querySelector('[data-testid="final-answer"]')?.scrollIntoView({ block: 'start' }),
  },
  {
    id: 'runs.submit',
    group: 'Runs',
    title: 'Submit training / evaluation jobs…',
    run: () => {
      useProblems.setState({ view: { kind: 'table' } });
      go('runs');
      useCluster.setState({ submitOpen: true });
    },
  },
  {
    id: 'runs.compare',
    group: 'Runs',
    title: 'Compare two runs problem by problem',
    run: () => {
      useProblems.setState({ view: { kind: 'table' } });
      go('runs');
      focusLater('[data-testid="runs-table"] input[type="checkbox"]');
    },
  },
  {
    id: 'runs.clearCompare',
    group: 'Runs',
    title: 'Clear the run comparison',
    run: () => useRunSelection.getState().setCompare(null, null),
  },
  {
    id: 'runs.problemNext',
    group: 'Runs',
    title: 'Next problem (problem view; K: previous)',
    shortcut: 'J',
    run: () => void useProblems.getState().step(1),
  },
  {
    id: 'runs.outputs',
    group: 'Runs',
    title: 'Unfold every output (problem view)',
    shortcut: 'O',
    run: () => useProblems.getState().set({ showOutputs: !useProblems.getState().showOutputs }),
  },
  {
    id: 'analysis.figure',
    group: 'Analysis',
    title: 'Export a figure (SVG, PDF, PNG) or table…',
    run: () => {
      go('analysis');
      focusLater('[data-testid="export-kind"]');
    },
  },
  {
    id: 'palette',
    group: 'Help',
    title: 'Command palette',
    shortcut: 'Ctrl+K',
    run: () => setTimeout(() => usePalette.getState().setOpen(true), 0),
  },
];

/** Register the app's commands once. */
export const useAppCommands = (): void => useEffect(() => usePalette.getState().register(appCommands()), []);
