import { useEffect } from 'react';
import { useShell } from '../features/shell/store';
import { useSystem } from '../features/shell/system-store';
import { useTasks } from '../features/tasks/store';
import { useDesktopNotify } from '../features/notices/desktop-store';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { CommandPalette } from './CommandPalette';
import { Notices } from './Notices';
import { FileBrowser } from './FileBrowser';
import { WorkspaceDialog } from './WorkspaceDialog';
import './workspace.css';
import { useGlobalShortcuts } from './shortcuts';
import { useAppCommands } from './commands';
import { sections } from './sections';
import { followWorkspaceChanges } from './changes';
import { ErrorBoundary } from '../components/ErrorBoundary';

export const App = () => {
  const section = useShell((s) => s.section);
  useGlobalShortcuts();
  useAppCommands();
  useEffect(() => {
    void useSystem.getState().load();
    void useTasks.getState().load();
    const stopTasks = useTasks.getState().listen();
    const stopChanges = followWorkspaceChanges();
    const stopEngine = useSystem.getState().listen();
    const stopNotices = useDesktopNotify.getState().listen();
    return () => {
      stopNotices();
      stopTasks();
      stopChanges();
      stopEngine();
    };
  }, []);
  const current = sections.find((s) => s.id === section);
  const Screen = current?.component ?? (() => null);
  return (
    <div className="app">
      <ErrorBoundary name="Sidebar">
        <Sidebar />
      </ErrorBoundary>
      <main className="screen" data-screen={section}>
        <ErrorBoundary name={current?.label ?? section} resetKeys={[section]} onReset={current?.reset}>
          <Screen />
        </ErrorBoundary>
      </main>
      <ErrorBoundary name="Status bar">
        <StatusBar />
      </ErrorBoundary>
      <ErrorBoundary name="Command palette">
        <CommandPalette />
      </ErrorBoundary>
      <ErrorBoundary name="Workspaces">
        <WorkspaceDialog />
      </ErrorBoundary>
      <ErrorBoundary name="File browser">
        <FileBrowser />
      </ErrorBoundary>
      <Notices />
    </div>
  );
};
