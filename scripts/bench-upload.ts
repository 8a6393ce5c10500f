// `npm run bench:upload`: Valley's SFTP upload vs OpenSSH's scp of the same file to the loopback test sshd
// (bash .ci/services.sh start first). Prints wall times and throughput ratios (Valley / scp; target ≥ 0.9).
// Options: --mb N (file size, default 200), --runs N (default 3; the median counts).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, writeSync, closeSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SFTPWrapper } from 'ssh2';
import { clusterProfileSchema } from '../shared/api/cluster';
import { openExecutor } from '../electron/services/cluster/connect';
import { connectSsh } from '../electron/services/cluster/ssh';
import { profileEndpoint } from '../electron/services/cluster/profiles';
import { sh } from '../electron/services/cluster/quote';
import { memorySecretStore, type Host } from '../electron/services/host';
import { clusterTestEnv, knownHostsFor, testProfile } from '../test/helpers/cluster-env';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' }, rows: { type: 'string' } },
  strict: false,
});
const mb = Number(values.mb);
const runs = Number(values.runs);
const env = clusterTestEnv();
if (!env) {
  console.log('bench:upload skipped: the loopback sshd is not running (bash .ci/services.sh start)');
  process.exit(0);
}
const e = env;

const dir = mkdtempSync(join(tmpdir(), 'valley-bench-upload-'));
const host: Host = {
  kind: 'cli',
  appDataDir: () => dir,
  pickPaths: null,
  secrets: memorySecretStore(),
  notify: () => undefined,
};
const knownHosts = knownHostsFor(env, dir);
const profile = clusterProfileSchema.parse(testProfile(env, knownHosts, { remoteDir: 'valley-bench-upload' }));
const file = join(dir, 'payload.bin');
const fd = openSync(file, 'w');
for (let i = 0; i < mb; i++) writeSync(fd, randomBytes(1024 * 1024));
closeSync(fd);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = async (work: () => Promise<void> | void): Promise<number> => {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
};

const main = async (): Promise<void> => {
  const ex = await openExecutor(host, profile);
  await ex.run(sh`mkdir -p valley-bench-upload`, 'mkdir');
  // `sync` so no contender pays for writing back the previous one's 200 MB (same disk: loopback)
  const clean = () => ex.run('rm -f valley-bench-upload/*; sync', 'cleanup');

  const scpTimes: number[] = [];
  const valleyTimes: number[] = [];
  const transferTimes: number[] = [];
  const fastPutDefault: number[] = [];
  const fastPut16: number[] = [];

  const client = await connectSsh(profileEndpoint(profile), {});
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
    client.sftp((err, s) => (err ? reject(err) : resolve(s))),
  );
  const fastPut = (opts: { concurrency?: number; chunkSize?: number }) =>
    new Promise<void>((resolve, reject) =>
      sftp.fastPut(file, 'valley-bench-upload/fastput.bin', opts, (err) => (err ? reject(err) : resolve())),
    );

  for (let r = 0; r < runs; r++) {
    await clean();
    scpTimes.push(
      await time(() => {
        execFileSync('scp', [
          '-q',
          '-P',
          String(e.port),
          '-i',
          e.keyFile,
          '-o',
          `UserKnownHostsFile=${knownHosts}`,
          '-o',
          'StrictHostKeyChecking=yes',
          '-o',
          'BatchMode=yes',
          file,
          `${e.user}@${e.host}:valley-bench-upload/scp.bin`,
        ]);
      }),
    );
    await clean();
    let t0 = 0;
    let t1 = 0;
    valleyTimes.push(
      await time(async () => {
        await ex.upload(file, 'valley-bench-upload/valley.bin', {
          onProgress: (done, total) => {
            if (t0 === 0) t0 = performance.now();
            if (done === total && t1 === 0) t1 = performance.now();
          },
        });
      }),
    );
    transferTimes.push((t1 - t0) / 1000);
    await clean();
    fastPutDefault.push(await time(() => fastPut({})));
    await clean();
    fastPut16.push(await time(() => fastPut({ concurrency: 16, chunkSize: 128 * 1024 })));
  }
  await clean();
  await ex.run('rmdir valley-bench-upload', 'cleanup');
  ex.close();
  client.end();
  rmSync(dir, { recursive: true, force: true });

  const scp = median(scpTimes);
  const row = (name: string, xs: number[]) => {
    const t = median(xs);
    console.log(
      `${name.padEnd(58)} ${t.toFixed(2).padStart(6)} s  ${(mb / t).toFixed(0).padStart(5)} MB/s  throughput vs scp ${(scp / t).toFixed(2)}×`,
    );
  };
  console.log(`Upload of ${mb} MB over loopback SSH (median of ${runs}):`);
  row('scp (OpenSSH)', scpTimes);
  row('Valley upload: transfer (fastPut 16 × 128 KiB; resume: own writer)', transferTimes);
  row('Valley upload: end to end (+ local and remote SHA-256)', valleyTimes);
  row('ssh2 fastPut, defaults', fastPutDefault);
  row('ssh2 fastPut, concurrency 16, 128 KiB chunks', fastPut16);
  const ratio = scp / median(transferTimes);
  console.log(
    `ratio Valley transfer / scp throughput: ${ratio.toFixed(2)} (target ≥ 0.9) ${ratio >= 0.9 ? 'OK' : 'BELOW TARGET'}`,
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
