import type { JobState } from '../../../shared/api/cluster';
import { sh } from './quote';
import type { Executor } from './executor';

/** What a scheduler knows about a job right now. */
export interface RemoteState {
  state: JobState;
  detail: string;
  node: string | null;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  elapsedSeconds: number | null;
}

export interface JobRef {
  remoteId: string | null;
  remoteDir: string;
}

const iso = (epochSeconds: string | undefined): string | null => {
  const n = Number(epochSeconds);
  return epochSeconds && Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : null;
};

/**
 * A plain SSH host (or this machine): the job runs detached in its own session (setsid, nohup), its pid in
 * `pid`, its exit code written by the wrapper to `exit_code`; `cancelled` marks a job Valley stopped.
 */
export const plainScheduler = {
  async submit(ex: Executor, jobDir: string): Promise<string> {
    const out = await ex.run(
      sh`cd ${jobDir} && date +%s > started && (setsid nohup bash job.sh < /dev/null > /dev/null 2>&1 & echo $! > pid) && cat pid`,
      'Starting the job',
    );
    return out.trim();
  },

  async status(ex: Executor, jobs: readonly JobRef[]): Promise<Map<string, RemoteState>> {
    const result = new Map<string, RemoteState>();
    if (jobs.length === 0) return result;
    const probe =
      'probe() { echo "@@ $1"; cd "$1" 2>/dev/null || { echo missing; return; }; ' +
      'p=$(cat pid 2>/dev/null); s=$(cat started 2>/dev/null); e=$(stat -c %Y exit_code 2>/dev/null); ' +
      'if [ -f cancelled ]; then echo "cancelled|$s|$(cat cancelled)"; ' +
      'elif [ -f exit_code ]; then echo "done|$s|$e|$(cat exit_code)"; ' +
      'elif [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then echo "running|$s"; else echo "gone|$s"; fi; cd; }';
    const calls = jobs.map((j) => sh`probe ${j.remoteDir}`).join('\n');
    const out = await ex.run(`${probe}\necho "host $(hostname)"\n${calls}`, 'Checking jobs');
    const lines = out.split('\n');
    const host = (lines[0] ?? '').replace(/^host /, '') || null;
    const byDir = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l.startsWith('@@ ')) byDir.set(l.slice(3), lines[i + 1] ?? 'missing');
    }
    const now = Date.now() / 1000;
    for (const j of jobs) {
      const [kind, started, a, b] = (byDir.get(j.remoteDir) ?? 'missing').split('|');
      const startedAt = iso(started);
      const start = Number(started);
      const end = kind === 'done' ? Number(a) : kind === 'cancelled' ? Number(a) : now;
      const elapsed = startedAt ? Math.max(0, end - start) : null;
      const base = { node: host, startedAt, elapsedSeconds: elapsed };
      const key = j.remoteId ?? j.remoteDir;
      if (kind === 'done') {
        const code = Number(b);
        result.set(key, {
          ...base,
          state: code === 0 ? 'completed' : 'failed',
          detail: code === 0 ? 'exited' : `exit code ${code}`,
          exitCode: code,
          finishedAt: iso(a),
        });
      } else if (kind === 'cancelled') {
        result.set(key, { ...base, state: 'cancelled', detail: 'cancelled', exitCode: null, finishedAt: iso(a) });
      } else if (kind === 'running') {
        result.set(key, { ...base, state: 'running', detail: 'running', exitCode: null, finishedAt: null });
      } else {
        result.set(key, {
          ...base,
          state: 'lost',
          detail: kind === 'missing' ? 'job folder missing' : 'process gone without an exit code',
          exitCode: null,
          finishedAt: null,
          elapsedSeconds: null,
        });
      }
    }
    return result;
  },

  async cancel(ex: Executor, job: JobRef): Promise<void> {
    await ex.run(
      // the whole process group (setsid made the job its leader); whatever ignores TERM gets KILL 10 s later
      sh`cd ${job.remoteDir} && date +%s > cancelled && p=$(cat pid) && { kill -TERM -"$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; } && ` +
        `{ (sleep 10; kill -KILL -"$p") > /dev/null 2>&1 < /dev/null & }`,
      'Cancelling the job',
    );
  },
};
