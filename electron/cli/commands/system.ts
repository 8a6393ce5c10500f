import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ValleyError } from '../../../shared/api';
import { startHttpServer } from '../../rpc/http-server';
import { createDemoWorkspace } from '../../services/demo/demo';
import { defaultWorkspaceDir } from '../../rpc/boot';
import { nodeHost } from '../host';
import { formatTable } from '../table';
import { stringOption, type Command } from '../command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start Valley in browser mode on 127.0.0.1 and print its address (with a one-time token)',
  usage: 'valley serve [--workspace DIR] [--port N]',
  options: { port: { type: 'string' } },
  async run(ctx) {
    const portText = stringOption(ctx.values, 'port') ?? process.env['VALLEY_PORT'] ?? '0';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ValleyError('invalid_request', `--port must be a whole number from 0 to 65535, not "${portText}"`, {
        field: 'port',
      });
    }
    const backend = await ctx.backend(ctx.workspaceDir ? 'create' : 'demo');
    const server = await startHttpServer({
      router: backend.router,
      bus: backend.services.bus,
      staticDir: join(__dirname, 'renderer'),
      port,
      token: process.env['VALLEY_TOKEN'] || undefined,
    });
    const ws = backend.services.workspace.info();
    if (!existsSync(join(__dirname, 'renderer', 'index.html'))) {
      process.stderr.write(
        'valley: the renderer is not built (dist/renderer): run `npm run build:renderer`; only the API is served\n',
      );
    }
    if (ctx.json) {
      process.stdout.write(JSON.stringify({ url: server.url, port: server.port, workspace: ws.dir }) + '\n');
    } else {
      process.stdout.write(`Valley is serving ${ws.isDemo ? 'the demo workspace' : 'workspace'} ${ws.dir}\n`);
      process.stdout.write(`Open ${server.url}\n(Ctrl+C to stop)\n`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return null;
  },
};

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create the built-in demo workspace (synthetic OCR2-like traces and runs) in an empty folder',
  usage: 'valley demo [--workspace DIR] [--traces N]',
  options: { traces: { type: 'string' } },
  async run(ctx) {
    const dir = ctx.workspaceDir ?? defaultWorkspaceDir(nodeHost('cli'));
    const traces = Number(stringOption(ctx.values, 'traces') ?? '20000');
    if (!Number.isInteger(traces) || traces < 10 || traces > 2_000_000) {
      throw new ValleyError('invalid_request', '--traces must be a whole number from 10 to 2000000', {
        field: 'traces',
      });
    }
    ctx.info(`Creating the demo workspace in ${dir} …`);
    const started = Date.now();
    const ws = await createDemoWorkspace(dir, traces);
    await ws.close();
    const seconds = (Date.now() - started) / 1000;
    return {
      json: { workspace: dir, traces, seconds },
      text: `Demo workspace ready in ${dir} (${traces} traces, ${seconds.toFixed(1)} s)`,
    };
  },
};

export const sqlCommand: Command = {
  name: 'sql',
  summary: 'Run one read-only SQL statement against the workspace',
  usage: 'valley sql [--workspace DIR] [--json] [--limit N] [--allow-files] "SELECT …"',
  options: { limit: { type: 'string' }, 'allow-files': { type: 'boolean' } },
  async run(ctx) {
    const sql = ctx.positionals.join(' ').trim();
    if (!sql) throw new ValleyError('invalid_request', 'Give the SQL statement as an argument', { field: 'sql' });
    await ctx.backend('refuse');
    const limit = Number(stringOption(ctx.values, 'limit') ?? '1000');
    // file-reading functions (read_csv, read_parquet, FROM 'f.csv') only when asked for
    const result = await ctx.call('sql.query', { sql, limit, allowFiles: ctx.values['allow-files'] === true });
    const headers = result.columns.map((c) => c.name);
    return {
      json: {
        columns: result.columns,
        rows: result.rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i]]))),
        truncated: result.truncated,
      },
      text:
        formatTable(headers, result.rows) +
        `\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ', truncated' : ''})`,
    };
  },
};
