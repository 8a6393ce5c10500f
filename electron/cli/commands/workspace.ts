import { resolve } from 'node:path';
import { ValleyError, type RecentWorkspace, type WorkspaceInfo } from '../../../shared/api';
import { createLauncher } from '../../rpc/launcher';
import { nodeHost } from '../host';
import { formatTable } from '../table';
import { stringOption, type Command, type CommandContext, type CommandOutput } from '../command';

/*
 * `valley workspace …` through the launcher (electron/rpc/launcher.ts): the recent workspaces are the list the app's
 * Workspaces dialog shows (the app data folder, $VALLEY_HOME when set), so what one creates or opens the other lists.
 * Each CLI run opens its own workspace (--workspace, else the demo): "open" and "new" put a workspace at the top of
 * that list, and "current" is the top of it, the workspace last opened by the app, browser mode or the CLI.
 */
const launcher = () => createLauncher(nodeHost('cli'));

const when = (iso: string): string => iso.replace('T', ' ').slice(0, 16);

const describe = (w: WorkspaceInfo): string =>
  `${w.name}${w.isDemo ? ' (demo)' : ''}\n  ${w.dir}\n  created ${when(w.createdAt)}`;

/** The folder a sub-verb works on: its one argument, or --workspace. */
const folderArg = (ctx: CommandContext, verb: string): string => {
  const dir = ctx.positionals[0] ?? ctx.workspaceDir;
  if (!dir) throw new ValleyError('invalid_request', `Give the folder: valley workspace ${verb} DIR`, { field: 'dir' });
  if (ctx.positionals.length > 1) {
    const n = ctx.positionals.length;
    throw new ValleyError('invalid_request', `valley workspace ${verb} takes one folder, not ${n}`, { field: 'dir' });
  }
  return resolve(dir);
};

const listOutput = (r: { recent: RecentWorkspace[]; demoDir: string; demoExists: boolean }): CommandOutput => {
  const current = r.recent.find((w) => w.exists) ?? null;
  return {
    json: { current: current?.dir ?? null, ...r },
    text:
      r.recent.length === 0
        ? `No workspace opened yet (the demo lives in ${r.demoDir}).`
        : formatTable(
            ['', 'name', 'folder', 'last opened', ''],
            r.recent.map((w) => [
              w === current ? '*' : '',
              w.name + (w.isDemo ? ' (demo)' : ''),
              w.dir,
              when(w.openedAt),
              w.exists ? '' : 'missing',
            ]),
          ) + '\n(* current: the one opened last)',
  };
};

const listCommand: Command = {
  name: 'workspace list',
  summary: 'The recent workspaces, newest first (the same list as the app’s Workspaces dialog)',
  usage: 'valley workspace list [--json]',
  options: {},
  run: async () => listOutput(await launcher().recent()),
};

const newCommand: Command = {
  name: 'workspace new',
  summary: 'Create an empty workspace in an empty or new folder and add it to the recent workspaces',
  usage: 'valley workspace new DIR [--name NAME] [--json]',
  options: { name: { type: 'string' } },
  async run(ctx) {
    const dir = folderArg(ctx, 'new');
    const name = stringOption(ctx.values, 'name');
    const info = await launcher().create(dir, name);
    return { json: { workspace: info }, text: `Created workspace ${describe(info)}` };
  },
};

const openCommand: Command = {
  name: 'workspace open',
  summary: 'Check that a folder is a workspace that opens, and make it the current (most recent) one',
  usage: 'valley workspace open DIR [--json]',
  options: {},
  async run(ctx) {
    const dir = folderArg(ctx, 'open');
    const { workspace: info, inUse } = await launcher().open(dir);
    return {
      json: { workspace: info, inUse },
      text: `Opened workspace ${describe(info)}${inUse ? '\n  (open in another Valley process too)' : ''}`,
    };
  },
};

const currentCommand: Command = {
  name: 'workspace current',
  summary: 'The current workspace: the one opened last by the app or the CLI (--workspace DIR: that one)',
  usage: 'valley workspace current [--workspace DIR] [--json]',
  options: {},
  async run(ctx) {
    if (ctx.workspaceDir) {
      await ctx.backend('refuse');
      const { current } = await ctx.call('workspace.list', {});
      return { json: { workspace: current }, text: describe(current) };
    }
    const { recent, demoDir } = await launcher().recent();
    const last = recent.find((r) => r.exists);
    if (!last) {
      return {
        json: { workspace: null, demoDir },
        text: `No workspace opened yet: Valley starts on the demo (${demoDir}).`,
      };
    }
    const info = await launcher().info(last.dir);
    return { json: { workspace: info }, text: describe(info) };
  },
};

const forgetCommand: Command = {
  name: 'workspace forget',
  summary: 'Remove a folder from the recent workspaces (the folder itself is untouched)',
  usage: 'valley workspace forget DIR [--json]',
  options: {},
  async run(ctx) {
    const l = launcher();
    await l.forget(folderArg(ctx, 'forget'));
    return listOutput(await l.recent());
  },
};

const subVerbs = [listCommand, newCommand, openCommand, currentCommand, forgetCommand];

/** `valley workspace` alone lists; an unknown sub-verb names the ones there are. */
const workspaceCommand: Command = {
  name: 'workspace',
  summary: 'Workspaces: list | new DIR | open DIR | current | forget DIR',
  usage: 'valley workspace [list | new DIR [--name NAME] | open DIR | current | forget DIR] [--json]',
  options: {},
  async run(ctx) {
    const verb = ctx.positionals[0];
    if (verb !== undefined) {
      throw new ValleyError(
        'invalid_request',
        `Unknown: valley workspace ${verb} (one of ${subVerbs.map((c) => c.name.split(' ')[1]).join(', ')})`,
        { field: 'verb' },
      );
    }
    return listCommand.run(ctx);
  },
};

export const workspaceCommands: readonly Command[] = [...subVerbs, workspaceCommand];
