import { create } from 'zustand';
import { toErrorValue, type ApiErrorValue } from '../../../shared/api';
import {
  finishedJobStates,
  type ClusterProfile,
  type ClusterProfileInput,
  type ConnectionReport,
  type Job,
  type PreflightReport,
  type SshConfigHost,
  type SubmitRequestInput,
  type Template,
} from '../../../shared/api/cluster';
import type { LossPoint } from '../../../shared/domain/torchtune-log';
import { api } from '../../api/client';
import { reportError, useNotices } from '../notices/store';

export interface PreviewJob {
  id: string | null;
  name: string;
  labels: Record<string, string>;
  files: { name: string; text: string }[];
  after: string | null;
}

interface ClusterState {
  clusters: ClusterProfile[];
  sshHosts: SshConfigHost[];
  /** How each profile really authenticates (key file and its source, or the agent). */
  authSources: Record<string, string>;
  templates: Template[];
  exports: { dir: string; subset: string; sizes: number[] }[];
  jobs: Job[];
  reports: Record<string, ConnectionReport | 'testing'>;
  selected: string | null;
  log: { text: string; truncated: boolean; loss: LossPoint[] } | null;
  preview: PreviewJob[] | null;
  /** The pre-flight checklist of the request in the dialog (null until checked; cleared when the request changes). */
  checklist: PreflightReport | null;
  submitError: ApiErrorValue | null;
  busy: boolean;
  /** Whether load() has run (the store refetches on workspace.changed only then). */
  loaded: boolean;
  /** The submit dialog is open (the palette opens it too). */
  submitOpen: boolean;
  load(): Promise<void>;
  refresh(): Promise<void>;
  save(profile: ClusterProfileInput, replace: boolean): Promise<boolean>;
  test(name: string, passphrase?: string): Promise<void>;
  remove(name: string): Promise<void>;
  accept(name: string, fingerprint: string): Promise<void>;
  previewSubmit(req: SubmitRequestInput): Promise<void>;
  checkSubmit(req: SubmitRequestInput): Promise<void>;
  submit(req: SubmitRequestInput): Promise<boolean>;
  select(id: string | null): Promise<void>;
  loadLog(): Promise<void>;
  cancel(id: string): Promise<void>;
  fetch(id: string): Promise<void>;
  /** Follow job events; poll the clusters while jobs run. Returns the stop function. */
  watch(): () => void;
}

export const isRunning = (j: Job): boolean => !finishedJobStates.includes(j.state);

export const useCluster = create<ClusterState>((set, get) => ({
  loaded: false,
  clusters: [],
  sshHosts: [],
  authSources: {},
  templates: [],
  exports: [],
  jobs: [],
  reports: {},
  selected: null,
  log: null,
  preview: null,
  checklist: null,
  submitError: null,
  busy: false,
  submitOpen: false,
  async load() {
    try {
      const [list, templates, jobs, exports] = await Promise.all([
        api().call('cluster.list', {}),
        api().call('cluster.templates', {}),
        api().call('cluster.jobs', { refresh: false }),
        api().call('cluster.exports', {}),
      ]);
      set({
        loaded: true,
        clusters: list.clusters,
        authSources: list.authSources,
        sshHosts: list.sshConfigHosts,
        templates: templates.templates,
        jobs: jobs.jobs,
        exports: exports.exports,
      });
    } catch (error) {
      reportError(error, 'Could not load clusters');
    }
  },
  async refresh() {
    try {
      const r = await api().call('cluster.jobs', { refresh: true });
      set({ jobs: r.jobs });
    } catch (error) {
      reportError(error, 'Could not refresh jobs');
    }
  },
  async save(profile, replace) {
    try {
      // the list refetches on workspace.changed
      await api().call('cluster.save', { profile, replace });
      return true;
    } catch (error) {
      reportError(error, 'Could not save the cluster');
      return false;
    }
  },
  async test(name, passphrase) {
    set({ reports: { ...get().reports, [name]: 'testing' } });
    try {
      const r = await api().call('cluster.test', { name, ...(passphrase ? { passphrase } : {}) });
      set({ reports: { ...get().reports, [name]: r } });
    } catch (error) {
      const { [name]: _gone, ...rest } = get().reports;
      set({ reports: rest });
      reportError(error, `Could not test ${name}`);
    }
  },
  async remove(name) {
    try {
      await api().call('cluster.remove', { name });
    } catch (error) {
      reportError(error, `Could not remove ${name}`);
    }
  },
  async accept(name, fingerprint) {
    try {
      await api().call('cluster.acceptHostKey', { name, fingerprint });
      await get().test(name);
    } catch (error) {
      reportError(error, 'Could not accept the host key');
    }
  },
  async previewSubmit(req) {
    set({ busy: true, submitError: null, preview: null });
    try {
      set({ preview: (await api().call('cluster.preview', req)).jobs });
    } catch (error) {
      set({ submitError: toErrorValue(error) });
    } finally {
      set({ busy: false });
    }
  },
  async checkSubmit(req) {
    set({ busy: true, submitError: null, checklist: null });
    try {
      set({ checklist: await api().call('cluster.check', req) });
    } catch (error) {
      set({ submitError: toErrorValue(error) });
    } finally {
      set({ busy: false });
    }
  },
  async submit(req) {
    set({ busy: true, submitError: null });
    try {
      const r = await api().call('cluster.submit', req);
      set({ jobs: [...r.jobs, ...get().jobs.filter((j) => !r.jobs.some((n) => n.id === j.id))], preview: null });
      return true;
    } catch (error) {
      set({ submitError: toErrorValue(error) });
      return false;
    } finally {
      set({ busy: false });
    }
  },
  async select(id) {
    set({ selected: id, log: null });
    if (id) await get().loadLog();
  },
  async loadLog() {
    const id = get().selected;
    if (!id) return;
    try {
      const log = await api().call('cluster.logs', { job: id, bytes: 32_768 });
      if (get().selected === id) set({ log });
    } catch (error) {
      reportError(error, 'Could not read the log');
    }
  },
  async cancel(id) {
    try {
      const job = await api().call('cluster.cancel', { job: id });
      set({ jobs: get().jobs.map((j) => (j.id === id ? job : j)) });
    } catch (error) {
      reportError(error, 'Could not cancel the job');
    }
  },
  async fetch(id) {
    try {
      const r = await api().call('cluster.fetch', { job: id });
      set({ jobs: get().jobs.map((j) => (j.id === r.job.id ? r.job : j)) });
      const pass = r.run.metrics['pass@1'];
      useNotices.getState().push({
        kind: 'success',
        title: `Imported run ${r.run.name}`,
        detail: `${r.files.length} file(s): ${r.files.join(', ')}${pass === undefined ? '' : `; pass@1 ${(pass * 100).toFixed(1)}%`} (${r.run.student}, size ${r.run.size ?? '?'})`,
      });
    } catch (error) {
      reportError(error, 'Could not fetch the results');
    }
  },
  watch() {
    const off = api().on('cluster.job', (job) => {
      const jobs = get().jobs;
      set({ jobs: jobs.some((j) => j.id === job.id) ? jobs.map((j) => (j.id === job.id ? job : j)) : [job, ...jobs] });
    });
    const timer = setInterval(() => {
      if (get().jobs.some(isRunning)) void get().refresh();
      const sel = get().jobs.find((j) => j.id === get().selected);
      if (sel && (isRunning(sel) || !get().log)) void get().loadLog();
    }, 5000);
    return () => {
      off();
      clearInterval(timer);
    };
  },
}));
