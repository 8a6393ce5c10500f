import { useEffect } from 'react';
import { useShell, type SectionId } from '../features/shell/store';
import { usePalette } from '../features/palette/store';
import { sections } from './sections';

/** App-wide keys: Ctrl/Cmd+K palette, Ctrl/Cmd+1…4 sections. Features handle their own keys in their screens. */
export const useGlobalShortcuts = (): void => {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey) return;
      if (e.key.toLowerCase() === 'k') {
        e.preventDefault();
        usePalette.getState().setOpen(!usePalette.getState().open);
        return;
      }
      const section = sections.find((s) => s.shortcut === e.key);
      if (section && !e.shiftKey) {
        e.preventDefault();
        useShell.getState().go(section.id as SectionId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(
    () =>
      usePalette.getState().register([
        ...sections.map((s) => ({
          id: `go.${s.id}`,
          group: 'Go to',
          title: s.label,
          shortcut: `Ctrl+${s.shortcut}`,
          run: () => useShell.getState().go(s.id),
        })),
        { id: 'theme.toggle', group: 'View', title: 'Toggle light/dark theme', run: () => useShell.getState().toggleTheme() },
      ]),
    [],
  );
};
