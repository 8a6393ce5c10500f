import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValleyError, type StudySummary } from '../../../shared/api';
import { paperStudy, studySchema, type Study, type StudyInput } from '../../../shared/domain/study';
import { checkStudy, formatStudy, parseStudy } from './study-file';
import { expandStudy } from '../../../shared/domain/study-expand';
import { writeFileAtomic, type Workspace } from '../workspace/workspace';
import { listDatasets } from '../data/registry';

/** Study files live in the workspace's `studies/` folder, one `<name>.yaml` each: readable, diffable, editable. */
export const studiesDir = (ws: Workspace): string => ws.path('studies');
export const studyFile = (ws: Workspace, name: string): string => join(studiesDir(ws), `${name}.yaml`);

const checkName = (name: string): void => {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/.test(name))
    throw new ValleyError('bad_input', `"${name}" is not a study name (letters, digits, _ and -)`, { field: 'name' });
};

export interface LoadedStudy {
  name: string;
  file: string;
  text: string;
  study: Study;
}

/** Read and check a study file; errors name the file, the line and the field. */
export const readStudy = async (ws: Workspace, name: string): Promise<LoadedStudy> => {
  checkName(name);
  const file = studyFile(ws, name);
  if (!existsSync(file)) throw new ValleyError('not_found', `No study "${name}" (no ${file})`, { file, field: 'name' });
  const text = await readFile(file, 'utf8');
  const study = parseStudy(text, file);
  if (study.name !== name) {
    throw new ValleyError(
      'bad_input',
      `${file}: name: "${study.name}" differs from the file's name "${name}"; rename one of them`,
      { file, field: 'name' },
    );
  }
  return { name, file, text, study };
};

/** Write a study (given as an object or as the file's text) after checking it; nothing is written when it is refused. */
export const writeStudy = async (
  ws: Workspace,
  source: { study: StudyInput } | { text: string },
  replace: boolean,
): Promise<LoadedStudy> => {
  const study = 'study' in source ? checkStudy(source.study) : parseStudy(source.text, 'the study text');
  const file = studyFile(ws, study.name);
  if (existsSync(file) && !replace) {
    throw new ValleyError(
      'conflict',
      `A study named "${study.name}" exists (${file}); choose another name or replace it`,
      { file, field: 'name' },
    );
  }
  const text = 'text' in source ? source.text : formatStudy(source.study);
  await mkdir(studiesDir(ws), { recursive: true });
  await writeFileAtomic(file, text);
  return { name: study.name, file, text, study };
};

export const deleteStudy = async (ws: Workspace, name: string): Promise<void> => {
  checkName(name);
  const file = studyFile(ws, name);
  if (!existsSync(file)) throw new ValleyError('not_found', `No study "${name}"`, { file, field: 'name' });
  await rm(file);
};

/** Every study file, newest first; one that cannot be read is listed with its error. */
export const listStudies = async (ws: Workspace): Promise<StudySummary[]> => {
  const dir = studiesDir(ws);
  if (!existsSync(dir)) return [];
  const out: StudySummary[] = [];
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.yaml')).sort()) {
    const name = f.slice(0, -'.yaml'.length);
    const file = join(dir, f);
    const updatedAt = (await stat(file)).mtime.toISOString();
    try {
      const { study } = await readStudy(ws, name);
      out.push({
        name,
        file,
        description: study.description,
        error: null,
        cells: expandStudy(study).cells.length,
        updatedAt,
      });
    } catch (error) {
      out.push({
        name,
        file,
        description: '',
        error: error instanceof Error ? error.message : String(error),
        cells: 0,
        updatedAt,
      });
    }
  }
  return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
};

/** The seed paper's design as a new study for a teacher dataset (OCR2's if there is one), under a free name; nothing is written. */
export const draftStudy = async (
  ws: Workspace,
  dataset?: string,
  name?: string,
): Promise<{ study: Study; text: string }> => {
  const traces = (await listDatasets(ws.engine)).filter((d) => d.kind === 'traces');
  const teacher = dataset ?? traces.find((d) => d.preset === 'ocr2')?.name ?? traces[0]?.name;
  if (!teacher)
    throw new ValleyError('not_found', 'No teacher traces in this workspace: import a dataset first', {
      field: 'dataset',
    });
  const taken = new Set((await listStudies(ws)).map((s) => s.name));
  let n = name ?? 'valley-of-code-reasoning';
  for (let i = 2; !name && taken.has(n); i++) n = `valley-of-code-reasoning-${i}`;
  const input = paperStudy(teacher, n);
  return { study: studySchema.parse(input), text: formatStudy(input) };
};

/** The study a request names: a saved file, an object (checked as its file would be) or a file's text. */
export const studyFromSource = async (
  ws: Workspace,
  source: { name: string } | { study: StudyInput } | { text: string },
): Promise<Study> =>
  'name' in source
    ? (await readStudy(ws, source.name)).study
    : 'study' in source
      ? parseStudy(formatStudy(source.study), `${source.study.name}.yaml`)
      : parseStudy(source.text, 'the study text');
