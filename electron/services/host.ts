/**
 * Everything the backend needs from the platform, in one small interface.
 * Electron, the browser-mode server and the CLI each provide one; services never import `electron`.
 */
export interface Host {
  readonly kind: 'electron' | 'browser' | 'cli';
  /** Where Valley keeps its own state (the demo workspace, recent workspaces). */
  appDataDir(): string;
  /** A native file dialog; null where there is none (browser mode, CLI): the UI then asks for a path. */
  pickPaths:
    | ((options: {
        title: string;
        directory: boolean;
        multiple: boolean;
        filters?: { name: string; extensions: string[] }[];
      }) => Promise<string[] | null>)
    | null;
  /** Secrets (key passphrases) go only here: the OS keychain in Electron, process memory elsewhere. */
  secrets: SecretStore;
  /** A desktop notification, where the platform has them. */
  notify(title: string, body: string): void;
}

export interface SecretStore {
  readonly persistent: boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Secrets kept only in this process's memory: forgotten when it exits. */
export const memorySecretStore = (): SecretStore => {
  const values = new Map<string, string>();
  return {
    persistent: false,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => {
      values.set(key, value);
    },
    delete: async (key) => {
      values.delete(key);
    },
  };
};
