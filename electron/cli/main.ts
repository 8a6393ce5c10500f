import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ValleyError, toErrorValue, type ApiErrorValue } from '../../shared/api';
import { bootBackend, type Backend } from '../rpc/boot';
import { nodeHost } from './host';
import { commands } from './commands';
import type { Command, CommandContext } from './command';

const globalOptions = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const version = (): string => {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
};

const findCommand = (args: string[]): { command: Command; rest: string[] } | null => {
  const two = `${args[0] ?? ''} ${args[1] ?? ''}`;
  const byTwo = commands.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: args.slice(2) };
  const byOne = commands.find((c) => c.name === args[0]);
  return byOne ? { command: byOne, rest: args.slice(1) } : null;
};

const usage = (): string =>
  [
    'Usage: valley <command> [--workspace DIR] [--json] [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(18)} ${c.summary}`),
    '',
    'Run `valley <command> --help` for a command’s options.',
  ].join('\n');

const describeError = (e: ApiErrorValue): string => {
  const lines = [`valley: ${e.message}`];
  for (const issue of e.details?.issues ?? []) lines.push(`  ${issue.path}: ${issue.message}`);
  return lines.join('\n');
};

export const main = async (argv: string[]): Promise<number> => {
  const found = findCommand(argv);
  if (!found) {
    const wantsHelp = argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    (wantsHelp ? process.stdout : process.stderr).write(
      (wantsHelp ? '' : `valley: unknown command "${argv[0] ?? ''}"\n\n`) + usage() + '\n',
    );
    return wantsHelp ? 0 : 2;
  }
  const { command, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...globalOptions, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`valley ${command.name}: ${(error as Error).message}\nUsage: ${command.usage}\n`);
    return 2;
  }
  const json = parsed.values.json === true;
  if (parsed.values.help === true) {
    process.stdout.write(`${command.summary}\nUsage: ${command.usage}\n`);
    return 0;
  }
  const workspaceDir = typeof parsed.values.workspace === 'string' ? parsed.values.workspace : undefined;
  let backend: Backend | null = null;
  const ctx: CommandContext = {
    positionals: parsed.positionals,
    values: parsed.values,
    json,
    workspaceDir,
    async backend(ifMissing = 'refuse') {
      backend ??= await bootBackend({
        host: nodeHost(command.name === 'serve' ? 'browser' : 'cli'),
        version: version(),
        workspaceDir,
        ifMissing: workspaceDir ? ifMissing : 'demo',
      });
      return backend;
    },
    async call(method, request) {
      const b = await ctx.backend();
      const result = await b.router.handle(method, request, { transport: 'cli' });
      if (!result.ok) throw ValleyError.from(result.error);
      return result.value as never;
    },
    info(line) {
      if (!json) process.stderr.write(line + '\n');
    },
  };
  try {
    const output = await command.run(ctx);
    if (output) process.stdout.write((json ? JSON.stringify(output.json, null, 2) : output.text) + '\n');
    return 0;
  } catch (error) {
    const value = toErrorValue(error);
    process.stderr.write(json ? JSON.stringify({ ok: false, error: value }) + '\n' : describeError(value) + '\n');
    return value.code === 'invalid_request' ? 2 : 1;
  } finally {
    const b = backend as Backend | null;
    await b?.close();
  }
};

/**
 * Wait until everything written to the stream has been handed to the OS. Into a pipe, Node writes stdout
 * asynchronously: exiting right after a large write cut the output at 64 KiB (the pipe's buffer), with exit 0.
 */
const drained = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((done) => {
    if (stream.destroyed || !stream.writable) return done();
    stream.write('', () => done());
  });

/** Exit with `code` once stdout and stderr are flushed (bin/valley.cjs calls this too). */
export const finish = async (code: number): Promise<void> => {
  process.exitCode = code;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
};

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => finish(code),
    (error: unknown) => {
      process.stderr.write(`valley: ${String(error)}\n`);
      return finish(1);
    },
  );
}
