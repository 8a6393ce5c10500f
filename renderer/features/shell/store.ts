import { create } from 'zustand';

export type SectionId = 'data' | 'curate' | 'runs' | 'analysis' | 'study';
export type Theme = 'light' | 'dark';

interface ShellState {
  section: SectionId;
  theme: Theme;
  go(section: SectionId): void;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
}

const saved = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
  const v = localStorage.getItem(key);
  return allowed.includes(v as T) ? (v as T) : fallback;
};

const prefersDark = (): boolean => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/** Applied to <html> at once (not in an effect), so charts drawn in the same render read the new colours. */
const applyTheme = (theme: Theme): Theme => {
  document.documentElement.dataset['theme'] = theme;
  return theme;
};

export const useShell = create<ShellState>((set, get) => ({
  section: saved<SectionId>('valley.section', ['data', 'curate', 'runs', 'analysis', 'study'], 'data'),
  theme: applyTheme(saved<Theme>('valley.theme', ['light', 'dark'], prefersDark() ? 'dark' : 'light')),
  go(section) {
    localStorage.setItem('valley.section', section);
    set({ section });
  },
  setTheme(theme) {
    localStorage.setItem('valley.theme', theme);
    set({ theme: applyTheme(theme) });
  },
  toggleTheme() {
    get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },
}));
