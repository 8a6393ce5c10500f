import { ValleyError } from '../../../shared/api';
import type { JobState } from '../../../shared/api/cluster';
import { sh } from './quote';
import type { Executor } from './executor';
import type { JobRef, RemoteState } from './sched-plain';

const stateMap: Record<string, JobState> = {
  PENDING: 'pending',
  CONFIGURING: 'pending',
  REQUEUED: 'pending',
  REQUEUE_HOLD: 'pending',
  REQUEUE_FED: 'pending',
  RESV_DEL_HOLD: 'pending',
  RUNNING: 'running',
  COMPLETING: 'running',
  SUSPENDED: 'running',
  STAGE_OUT: 'running',
  SIGNALING: 'running',
  RESIZING: 'running',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
  TIMEOUT: 'failed',
  NODE_FAIL: 'failed',
  OUT_OF_MEMORY: 'failed',
  BOOT_FAIL: 'failed',
  DEADLINE: 'failed',
  PREEMPTED: 'failed',
  SPECIAL_EXIT: 'failed',
  REVOKED: 'failed',
};

/** Slurm's elapsed time ([D-]HH:MM:SS or MM:SS) in seconds. */
export const slurmDuration = (text: string | undefined): number | null => {
  if (!text || text === 'UNLIMITED' || text === 'INVALID') return null;
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
};

const slurmTime = (text: string | undefined): string | null =>
  text && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)
    ? new Date(`${text}Z`).toISOString().replace('.000Z', '')
    : null;

/** `scontrol show job -o` output (one line of Key=Value pairs) → fields. */
export const parseScontrol = (line: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+(?:\/\w+)?)=(\S*)/g))
    if (!((m[1] as string) in out)) out[m[1] as string] = m[2] ?? '';
  return out;
};

const exitOf = (text: string | undefined): number | null => {
  const m = /^(\d+):(\d+)$/.exec(text ?? '');
  if (!m) return null;
  return Number(m[2]) > 0 ? 128 + Number(m[2]) : Number(m[1]);
};

const fromFields = (f: Record<string, string>, stateKey: string): RemoteState => {
  const word = (f[stateKey] ?? 'UNKNOWN').split(/\s+/)[0] as string;
  const state = stateMap[word.replace(/\+$/, '')] ?? 'running';
  const finished = state === 'completed' || state === 'failed' || state === 'cancelled';
  const node = f['NodeList'] && f['NodeList'] !== '(null)' && f['NodeList'] !== 'None' ? f['NodeList'] : null;
  return {
    state,
    detail: f['Reason'] && f['Reason'] !== 'None' && state === 'pending' ? `${word} (${f['Reason']})` : word,
    node,
    exitCode: finished ? exitOf(f['ExitCode']) : null,
    startedAt: slurmTime(f['StartTime'] ?? f['Start']),
    finishedAt: finished ? slurmTime(f['EndTime'] ?? f['End']) : null,
    elapsedSeconds: slurmDuration(f['RunTime'] ?? f['Elapsed']),
  };
};

/** Slurm through its commands on the login node: sbatch, scontrol (squeue's source), sacct when available, scancel. */
export const slurmScheduler = {
  async submit(ex: Executor, scriptPath: string, chdir: string, afterOk: string | null = null): Promise<string> {
    const dep = afterOk ? sh` --dependency=${`afterok:${afterOk}`} --kill-on-invalid-dep=yes` : '';
    const out = await ex.run(sh`cd ${chdir} && sbatch --parsable` + dep + sh` ${scriptPath}`, 'sbatch');
    const id = out.trim().split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) throw new ValleyError('unavailable', `sbatch answered "${out.trim()}" instead of a job id`);
    return id;
  },

  async status(ex: Executor, jobs: readonly JobRef[]): Promise<Map<string, RemoteState>> {
    const result = new Map<string, RemoteState>();
    const ids = jobs.map((j) => j.remoteId).filter((id): id is string => id !== null);
    if (ids.length === 0) return result;
    const out = await ex.run(
      ids.map((id) => sh`echo "@@ "${id}; scontrol show job -o ${id} 2>&1 | head -n 1`).join('; '),
      'scontrol show job',
    );
    const missing: JobRef[] = [];
    const lines = out.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] as string;
      if (!l.startsWith('@@ ')) continue;
      const id = l.slice(3);
      const body = lines[i + 1] ?? '';
      if (body.includes('JobState=')) result.set(id, fromFields(parseScontrol(body), 'JobState'));
      else missing.push(jobs.find((j) => j.remoteId === id) as JobRef);
    }
    if (missing.length > 0) await this.fromSacct(ex, missing, result);
    return result;
  },

  /** Jobs scontrol no longer knows: sacct if accounting is on, else the exit code the wrapper wrote. */
  async fromSacct(ex: Executor, jobs: readonly JobRef[], result: Map<string, RemoteState>): Promise<void> {
    const ids = jobs.map((j) => j.remoteId as string);
    const r = await ex.exec(sh`sacct -n -P -X -j ${ids.join(',')} -o JobID,State,ExitCode,Elapsed,NodeList,Start,End`);
    if (r.code === 0) {
      for (const line of r.stdout.split('\n')) {
        const [JobID, State, ExitCode, Elapsed, NodeList, Start, End] = line.split('|');
        if (JobID && ids.includes(JobID))
          result.set(
            JobID,
            fromFields(
              {
                State: State ?? '',
                ExitCode: ExitCode ?? '',
                Elapsed: Elapsed ?? '',
                NodeList: NodeList ?? '',
                Start: Start ?? '',
                End: End ?? '',
              },
              'State',
            ),
          );
      }
    }
    for (const j of jobs) {
      if (result.has(j.remoteId as string)) continue;
      const code = await ex.exec(sh`cat ${`${j.remoteDir}/exit_code`}`);
      const n = Number(code.stdout.trim());
      result.set(
        j.remoteId as string,
        code.code === 0 && code.stdout.trim() !== '' && Number.isInteger(n)
          ? {
              state: n === 0 ? 'completed' : 'failed',
              detail: 'finished (Slurm no longer lists it; no accounting)',
              node: null,
              exitCode: n,
              startedAt: null,
              finishedAt: null,
              elapsedSeconds: null,
            }
          : {
              state: 'lost',
              detail: 'Slurm no longer lists it and there is no accounting',
              node: null,
              exitCode: null,
              startedAt: null,
              finishedAt: null,
              elapsedSeconds: null,
            },
      );
    }
  },

  async cancel(ex: Executor, job: JobRef): Promise<void> {
    if (!job.remoteId) return;
    await ex.run(sh`scancel ${job.remoteId}`, 'scancel');
  },
};
