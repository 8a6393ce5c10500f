import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ValleyError } from '../../../shared/api';
import type { Template } from '../../../shared/api/cluster';
import { shQuote } from './quote';
import { defaultTemplates } from './template-defaults';

const META = 'template.json';
const metaSchema = z.object({
  description: z.string().default(''),
  variables: z.record(z.string(), z.string()).default({}),
});

/** Write the built-in templates into `dir` (only files that are missing: the user's edits stay). */
export const ensureTemplates = async (dir: string): Promise<void> => {
  for (const [name, t] of Object.entries(defaultTemplates)) {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    const meta = join(folder, META);
    if (!existsSync(meta))
      await writeFile(meta, JSON.stringify({ description: t.description, variables: t.variables }, null, 2) + '\n');
    for (const [file, text] of Object.entries(t.files)) {
      if (!existsSync(join(folder, file))) await writeFile(join(folder, file), text);
    }
  }
};

export const loadTemplates = async (dir: string): Promise<Template[]> => {
  await ensureTemplates(dir);
  const out: Template[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const folder = join(dir, name);
    if (!existsSync(join(folder, META))) continue;
    const metaPath = join(folder, META);
    let metaJson: unknown;
    try {
      metaJson = JSON.parse(await readFile(metaPath, 'utf8'));
    } catch (error) {
      throw new ValleyError('bad_input', `${metaPath} is not valid JSON: ${(error as Error).message}`, {
        file: metaPath,
      });
    }
    const meta = metaSchema.safeParse(metaJson);
    if (!meta.success) {
      const issue = meta.error.issues[0];
      throw new ValleyError(
        'bad_input',
        `${metaPath}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
        { file: metaPath, field: issue?.path.join('.') },
      );
    }
    const files = [];
    for (const f of (await readdir(folder)).sort()) {
      if (f === META || f.startsWith('.')) continue;
      files.push({ name: f, path: join(folder, f), text: await readFile(join(folder, f), 'utf8') });
    }
    if (!files.some((f) => f.name === 'run.sh'))
      throw new ValleyError('bad_input', `Template ${name} has no run.sh`, { file: folder });
    out.push({ name, description: meta.data.description, variables: meta.data.variables, files });
  }
  return out;
};

const plainScalar = /^(?:-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|true|false|True|False|null)$/i;

/** A value for a file of the given kind: shell-quoted in scripts, a JSON string in YAML unless a plain scalar. */
const quoteFor = (file: string, value: string): string => {
  if (/\.ya?ml$/i.test(file)) return plainScalar.test(value) ? value : JSON.stringify(value);
  if (/\.(sh|bash)$/i.test(file)) return /^[\w./:=@%+,-]+$/.test(value) ? value : shQuote(value);
  return value;
};

/** Fill a template file; an unknown variable is an error naming the file and line. */
export const renderTemplate = (file: string, text: string, vars: Readonly<Record<string, string>>): string =>
  text.replace(
    /\{\{\{\s*([\w.-]+)\s*\}\}\}|\{\{\s*([\w.-]+)\s*\}\}/g,
    (match, rawName: string | undefined, name: string | undefined, offset: number) => {
      const key = (rawName ?? name) as string;
      const value = vars[key];
      if (value === undefined) {
        const line = text.slice(0, offset).split('\n').length;
        throw new ValleyError('bad_input', `${file}, line ${line}: unknown variable ${match}`, {
          file,
          line,
          field: key,
        });
      }
      return rawName !== undefined ? value : quoteFor(file, value);
    },
  );
