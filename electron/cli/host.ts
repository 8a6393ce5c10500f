import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { memorySecretStore, type Host } from '../services/host';

/** Where Valley keeps its data outside Electron: the same folder Electron's userData would be. */
export const appDataDir = (): string => {
  if (process.env['VALLEY_HOME']) return process.env['VALLEY_HOME'];
  const home = homedir();
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'Valley');
  if (platform() === 'win32') return join(process.env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Valley');
  return join(process.env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'Valley');
};

export const nodeHost = (kind: 'browser' | 'cli'): Host => ({
  kind,
  appDataDir,
  pickPaths: null,
  secrets: memorySecretStore(),
  notify: () => undefined,
});
