import { create } from 'zustand';
import type { BackendNotice } from '../../../shared/api';
import { api } from '../../api/client';
import { useNotices } from './store';

type Permission = NotificationPermission | 'unsupported';

interface DesktopNotifyState {
  /** Whether this window offers browser notifications: browser mode (Electron's host shows its own). */
  offered: boolean;
  /** The user asked for them ("Notify me"); kept in this browser. */
  enabled: boolean;
  permission: Permission;
  /** Turn "Notify me" on (asking the browser's permission, only now, on this click) or off. */
  toggle(): Promise<void>;
  /** Turn "Notify me" on, asking the browser's permission first if it never asked (call it on a click). */
  enable(): Promise<void>;
  /**
   * On a click that starts long work (the study dialog's "Save and launch"): ask as "Notify me" does, but only when
   * this window offers notifications and the browser never asked; the user's earlier answer or "off" stands.
   */
  offer(): Promise<void>;
  /** Show a backend notice: in the app always, and as a browser notification when the user asked and allowed. */
  show(notice: BackendNotice): void;
  /** Follow the backend's notice.posted events; returns the unsubscribe. */
  listen(): () => void;
}

const KEY = 'valley.notify';
const permissionNow = (): Permission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

export const useDesktopNotify = create<DesktopNotifyState>((set, get) => ({
  offered: false,
  enabled: localStorage.getItem(KEY) === 'on',
  permission: permissionNow(),
  async toggle() {
    if (get().enabled) {
      localStorage.setItem(KEY, 'off');
      set({ enabled: false });
      return;
    }
    await get().enable();
  },
  async offer() {
    if (get().offered && !get().enabled && permissionNow() === 'default') await get().enable();
  },
  async enable() {
    let permission = permissionNow();
    if (permission === 'default') permission = await Notification.requestPermission();
    set({ permission });
    if (permission !== 'granted') {
      useNotices.getState().push({
        kind: 'info',
        title:
          permission === 'unsupported'
            ? 'This browser has no notifications; Valley’s notices stay in the app'
            : 'The browser blocks notifications for this page',
        detail: permission === 'denied' ? 'Allow them in the site settings (the icon left of the address).' : undefined,
      });
      return;
    }
    localStorage.setItem(KEY, 'on');
    set({ enabled: true });
  },
  show(notice) {
    useNotices.getState().push({ kind: notice.kind, title: notice.title, detail: notice.body || undefined });
    const { offered, enabled } = get();
    if (!offered || !enabled || permissionNow() !== 'granted') return;
    try {
      new Notification(notice.title, { body: notice.body, tag: `${notice.source}:${notice.subject}:${notice.title}` });
    } catch {
      // a browser that refuses page notifications (some mobile ones): the in-app notice is enough
    }
  },
  listen() {
    set({ offered: api().transport === 'http', permission: permissionNow() });
    return api().on('notice.posted', (n) => get().show(n));
  },
}));
