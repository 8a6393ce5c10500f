export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command half of an executor (executor.ts): enough to check and move files where they are. */
export interface RemoteShell {
  readonly where: string;
  /** Run a `sh -c` command line (build it with `sh` from quote.ts) in the home folder. */
  exec(command: string): Promise<ExecResult>;
  /** Like exec, but a non-zero exit is an error naming `what`. */
  run(command: string, what: string): Promise<string>;
}
