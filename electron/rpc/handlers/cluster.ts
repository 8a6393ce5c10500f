import type { Services } from '../../services/services';
import { authSource, listProfiles, removeProfile, saveProfile, getProfile } from '../../services/cluster/profiles';
import { listSshConfigHosts } from '../../services/cluster/ssh-config';
import { acceptHostKey, testConnection } from '../../services/cluster/connect';
import { loadTemplates } from '../../services/cluster/templates';
import { checkSubmission, previewJobs, submitJobs, templatesDir } from '../../services/cluster/submit';
import { listJobs, publicJob } from '../../services/cluster/jobs';
import { cancelJob, jobLogs, refreshJobs } from '../../services/cluster/monitor';
import { fetchJob } from '../../services/cluster/results';
import { listExports } from '../../services/cluster/exports';
import type { Handlers } from '../router';

export const clusterHandlers = (svc: Services) => {
  const engine = svc.workspace.engine;
  const changed = () => svc.bus.emit('workspace.changed', { what: 'clusters' });
  return {
    'cluster.list': async () => {
      const clusters = await listProfiles(engine);
      return {
        clusters,
        authSources: Object.fromEntries(clusters.map((c) => [c.name, authSource(c)])),
        sshConfigHosts: listSshConfigHosts(),
      };
    },
    'cluster.save': async ({ profile, replace }) => {
      const saved = await saveProfile(engine, profile, replace);
      changed();
      return saved;
    },
    'cluster.remove': async ({ name }) => {
      await removeProfile(engine, name);
      changed();
      return { ok: true as const };
    },
    'cluster.test': async ({ name, passphrase }) =>
      testConnection(svc.host, await getProfile(engine, name), passphrase),
    'cluster.acceptHostKey': async ({ name, fingerprint }) => {
      await acceptHostKey(svc.host, await getProfile(engine, name), fingerprint);
      return { ok: true as const };
    },
    'cluster.exports': async () => ({ exports: await listExports(svc.workspace.dir) }),
    'cluster.templates': async () => ({ templates: await loadTemplates(templatesDir(svc)) }),
    'cluster.preview': async (req) => previewJobs(svc, req),
    'cluster.check': async (req) => checkSubmission(svc, req),
    'cluster.submit': async (req) => ({ jobs: (await submitJobs(svc, req)).map(publicJob) }),
    'cluster.jobs': async ({ refresh, passphrase }) => {
      const errors = refresh ? await refreshJobs(svc, passphrase) : [];
      return { jobs: (await listJobs(engine)).map(publicJob), errors };
    },
    'cluster.logs': async ({ job, bytes, passphrase }) => jobLogs(svc, job, bytes, passphrase),
    'cluster.cancel': async ({ job, passphrase }) => cancelJob(svc, job, passphrase),
    'cluster.fetch': async ({ job, passphrase }) => fetchJob(svc, job, passphrase),
  } satisfies Partial<Handlers>;
};
