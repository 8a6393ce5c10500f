import type { Services } from '../../services/services';
import {
  deleteStudy,
  draftStudy,
  listStudies,
  readStudy,
  studyFromSource,
  writeStudy,
} from '../../services/study/files';
import { ensureStudyPartitions, planStudy } from '../../services/study/plan';
import { studyStatus } from '../../services/study/state';
import { refreshJobs } from '../../services/cluster/monitor';
import { cancelStudy, fetchStudy } from '../../services/study/run';
import { startStudyRun } from '../../services/study/start';
import { cellProvenance } from '../../services/study/cell';
import type { Handlers } from '../router';

export const studyHandlers = (svc: Services) => {
  const ws = svc.workspace;
  const changed = () => svc.bus.emit('workspace.changed', { what: 'studies' });
  return {
    'study.list': async () => ({ studies: await listStudies(ws) }),
    'study.draft': async ({ dataset, name }) => draftStudy(ws, dataset, name),
    'study.get': async ({ name }) => readStudy(ws, name),
    'study.save': async (req) => {
      const saved = await writeStudy(ws, 'study' in req ? { study: req.study } : { text: req.text }, req.replace);
      const partitionsCreated = await ensureStudyPartitions(ws.engine, saved.study);
      if (partitionsCreated.length) svc.bus.emit('workspace.changed', { what: 'partitions' });
      changed();
      return { name: saved.name, file: saved.file, partitionsCreated };
    },
    'study.delete': async ({ name }) => {
      await deleteStudy(ws, name);
      changed();
      return { ok: true as const };
    },
    'study.plan': async (req) => planStudy(ws.engine, await studyFromSource(ws, req)),
    'study.status': async ({ name, refresh, passphrase }) => {
      const { study } = await readStudy(ws, name);
      if (refresh) await refreshJobs(svc, passphrase);
      return studyStatus(ws, study);
    },
    'study.run': async ({ name, wait, passphrase }) =>
      startStudyRun(svc, (await readStudy(ws, name)).study, wait, passphrase),
    'study.cell': async ({ name, cell }) => cellProvenance(ws, (await readStudy(ws, name)).study, cell),
    'study.fetch': async ({ name, passphrase }) => fetchStudy(svc, (await readStudy(ws, name)).study, passphrase),
    'study.cancel': async ({ name, passphrase }) => ({
      cancelled: await cancelStudy(svc, (await readStudy(ws, name)).study, passphrase),
    }),
  } satisfies Partial<Handlers>;
};
