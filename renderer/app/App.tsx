import { useEffect } from 'react';
import { useShell } from '../features/shell/store';
import { useSystem } from '../features/shell/system-store';
import { useTasks } from '../features/tasks/store';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { CommandPalette } from './CommandPalette';
import { Notices } from './Notices';
import { useGlobalShortcuts } from './shortcuts';
import { sections } from './sections';
import { followWorkspaceChanges } from './changes';

export const App = () => {
  const section = useShell((s) => s.section);
  useGlobalShortcuts();
  useEffect(() => {
    void useSystem.getState().load();
    void useTasks.getState().load();
    const stopTasks = useTasks.getState().listen();
    const stopChanges = followWorkspaceChanges();
    const stopEngine = useSystem.getState().listen();
    return () => {
      stopTasks();
      stopChanges();
      stopEngine();
    };
  }, []);
  const Screen = sections.find((s) => s.id === section)?.component ?? (() => null);
  return (
    <div className="app">
      <Sidebar />
      <main className="screen" data-screen={section}>
        <Screen />
      </main>
      <StatusBar />
      <CommandPalette />
      <Notices />
    </div>
  );
};
