import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

const messagesFor = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
};

describe('layer boundaries are enforced by lint', () => {
  it('fails a service that imports electron', async () => {
    const msgs = await messagesFor('electron/services/bad.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(msgs.join('\n')).toMatch(/no-restricted-imports: .*never imports electron/);
  });

  it('fails shared code that imports Node or the backend', async () => {
    const node = await messagesFor('shared/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(node.join('\n')).toMatch(/shared\/ is pure/);
    const back = await messagesFor('shared/bad2.ts', "import { openDuckDb } from '../electron/services/engine/duckdb';\nexport const x = openDuckDb;\n");
    expect(back.join('\n')).toMatch(/shared\/ is pure/);
  });

  it('fails renderer code that imports the backend or Node', async () => {
    const msgs = await messagesFor('renderer/bad.ts', "import { bootBackend } from '../electron/rpc/boot';\nexport const x = bootBackend;\n");
    expect(msgs.join('\n')).toMatch(/renderer\/ runs in the browser/);
  });

  it('fails `any` and default exports', async () => {
    const msgs = await messagesFor('electron/services/bad3.ts', 'export default function f(x: any) { return x; }\n');
    expect(msgs.join('\n')).toContain('no-explicit-any');
    expect(msgs.join('\n')).toContain('Use named exports');
  });

  it('lets electron/main import electron', async () => {
    const msgs = await messagesFor('electron/main/ok.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(msgs).toEqual([]);
  });
});
