import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Client, SFTPWrapper } from 'ssh2';
import { ValleyError } from '../../../shared/api';
import { sh } from './quote';
import { sftpUpload, type UploadOptions, type UploadResult } from './upload';
import { sha256File } from '../hash';
import type { RemoteShell } from './shell';

/** Runs commands and moves files on a cluster's login node (over SSH) or on this machine. */
export interface Executor extends RemoteShell {
  upload(local: string, remote: string, options?: UploadOptions): Promise<UploadResult>;
  writeFile(remote: string, content: string, mode?: number): Promise<void>;
  readFile(remote: string): Promise<Buffer>;
  download(remote: string, local: string): Promise<void>;
  close(): void;
}

const runChecked = async (ex: Pick<Executor, 'exec' | 'where'>, command: string, what: string): Promise<string> => {
  const r = await ex.exec(command);
  if (r.code !== 0) {
    const err = r.stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${r.code}`;
    throw new ValleyError('unavailable', `${what} failed on ${ex.where}: ${err}`, { exitCode: r.code });
  }
  return r.stdout;
};

const sftpOf = (client: Client): Promise<SFTPWrapper> =>
  new Promise((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))));

export const sshExecutor = (client: Client, where: string): Executor => {
  let sftp: Promise<SFTPWrapper> | null = null;
  // A dropped connection leaves ssh2's pending callbacks unanswered: every operation races against it.
  const dropped = new Promise<never>((_, reject) =>
    client.once('close', () => reject(new ValleyError('unavailable', `The connection to ${where} dropped`))),
  );
  dropped.catch(() => undefined);
  const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, dropped]);
  const getSftp = () => guard((sftp ??= sftpOf(client)));
  const ex: Executor = {
    where,
    exec: (command) =>
      guard(
        new Promise((resolve, reject) => {
          client.exec(command, (err, stream) => {
            if (err)
              return reject(new ValleyError('unavailable', `Could not run a command on ${where}: ${err.message}`));
            const out: Buffer[] = [];
            const errs: Buffer[] = [];
            let code = -1;
            stream.on('data', (d: Buffer) => out.push(d));
            stream.stderr.on('data', (d: Buffer) => errs.push(d));
            stream.on('exit', (c: number | null) => (code = c ?? -1));
            stream.on('close', () =>
              resolve({
                code,
                stdout: Buffer.concat(out).toString('utf8'),
                stderr: Buffer.concat(errs).toString('utf8'),
              }),
            );
          });
        }),
      ),
    run: (command, what) => runChecked(ex, command, what),
    upload: async (local, remote, options) => guard(sftpUpload(await getSftp(), ex, local, remote, options)),
    async writeFile(remote, content, mode = 0o644) {
      const s = await getSftp();
      await guard(
        new Promise<void>((resolve, reject) =>
          s.writeFile(remote, content, { mode }, (err) => (err ? reject(err) : resolve())),
        ),
      );
    },
    async readFile(remote) {
      const s = await getSftp();
      return guard(
        new Promise<Buffer>((resolve, reject) =>
          s.readFile(remote, (err, data) =>
            err
              ? reject(
                  new ValleyError('not_found', `${remote} cannot be read on ${where}: ${err.message}`, {
                    file: remote,
                  }),
                )
              : resolve(data),
          ),
        ),
      );
    },
    async download(remote, local) {
      const s = await getSftp();
      await mkdir(dirname(local), { recursive: true });
      await guard(
        new Promise<void>((resolve, reject) =>
          s.fastGet(remote, local, { concurrency: 16, chunkSize: 131072 }, (err) => (err ? reject(err) : resolve())),
        ),
      );
    },
    close: () => client.end(),
  };
  return ex;
};

/** The local machine as a "cluster": commands through /bin/sh, files by copy. */
export const localExecutor = (): Executor => {
  const ex: Executor = {
    where: 'this machine',
    exec: (command) =>
      new Promise((resolve) => {
        const p = spawn('/bin/sh', ['-c', command], {
          cwd: process.env['HOME'] ?? '/',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        p.stdout.on('data', (d: Buffer) => out.push(d));
        p.stderr.on('data', (d: Buffer) => errs.push(d));
        p.on('close', (code) =>
          resolve({
            code: code ?? -1,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(errs).toString('utf8'),
          }),
        );
      }),
    run: (command, what) => runChecked(ex, command, what),
    async upload(local, remote, options) {
      const hash = await sha256File(local);
      await ex.run(sh`mkdir -p ${dirname(remote)}`, 'Creating the data folder');
      const existing = await sha256File(remote).catch(() => null);
      if (existing === hash) return { sha256: hash, skipped: true, resumedFrom: 0, bytes: 0 };
      await copyFile(local, `${remote}.part`);
      await rename(`${remote}.part`, remote);
      const size = (await stat(remote)).size;
      options?.onProgress?.(size, size);
      return { sha256: hash, skipped: false, resumedFrom: 0, bytes: size };
    },
    async writeFile(remote, content, mode = 0o644) {
      await mkdir(dirname(remote), { recursive: true });
      await writeFile(remote, content);
      await chmod(remote, mode);
    },
    readFile: (remote) => readFile(remote),
    async download(remote, local) {
      await mkdir(dirname(local), { recursive: true });
      await copyFile(remote, local);
    },
    close: () => undefined,
  };
  return ex;
};
