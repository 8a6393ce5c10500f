import type { BackendNotice } from '../../shared/api';
import type { Services } from './services';

/**
 * Tell the user: pushed to every connected window as `notice.posted` (an in-app notice; in browser mode also a
 * browser notification when the user allowed them) and shown by the host where it has desktop notifications.
 */
export const notify = (svc: Services, notice: BackendNotice): void => {
  svc.bus.emit('notice.posted', notice);
  svc.host.notify(notice.title, notice.body);
};
