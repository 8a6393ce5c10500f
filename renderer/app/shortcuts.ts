import { useEffect } from 'react';
import { useShell, type SectionId } from '../features/shell/store';
import { usePalette } from '../features/palette/store';
import { useWorkspaces } from '../features/shell/workspace-store';
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
      if (e.key.toLowerCase() === 'o' && !e.shiftKey) {
        e.preventDefault();
        useWorkspaces.getState().show('manage');
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
        {
          id: 'theme.toggle',
          group: 'View',
          title: 'Toggle light/dark theme',
          run: () => useShell.getState().toggleTheme(),
        },
        {
          id: 'workspace.switch',
          group: 'Workspace',
          title: 'Switch workspace…',
          shortcut: 'Ctrl+O',
          run: () => useWorkspaces.getState().show('manage'),
        },
        {
          id: 'workspace.new',
          group: 'Workspace',
          title: 'New workspace…',
          run: () => useWorkspaces.getState().show('create'),
        },
        {
          id: 'workspace.open',
          group: 'Workspace',
          title: 'Open a workspace folder…',
          run: () => void useWorkspaces.getState().browseAndOpen(),
        },
        {
          id: 'workspace.demo',
          group: 'Workspace',
          title: 'Open the demo workspace',
          run: () => void useWorkspaces.getState().openDemo(),
        },
      ]),
    [],
  );
  // the recent workspaces, each one command
  const recent = useWorkspaces((s) => s.list?.recent);
  const current = useWorkspaces((s) => s.list?.current.dir);
  useEffect(() => {
    void useWorkspaces.getState().load();
  }, []);
  useEffect(
    () =>
      usePalette.getState().register(
        (recent ?? [])
          .filter((r) => r.exists && r.dir !== current)
          .map((r) => ({
            id: `workspace.recent.${r.dir}`,
            group: 'Workspace',
            title: `Reopen ${r.name}${r.isDemo ? ' (demo)' : ''} — ${r.dir}`,
            run: () => void useWorkspaces.getState().open(r.dir),
          })),
      ),
    [recent, current],
  );
};
