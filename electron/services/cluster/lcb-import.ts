import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValleyError } from '../../../shared/api';
import type { ProblemResult } from '../runs/store';

const entrySchema = z.object({
  question_id: z.union([z.string(), z.number()]).transform(String),
  difficulty: z.string().nullable().optional(),
  graded_list: z.array(z.union([z.boolean(), z.number()])),
  output_list: z.array(z.string()).optional(),
  code_list: z.array(z.string()).optional(),
});

/**
 * MINIMAL LiveCodeBench importer used by cluster fetch, because the data-import helper's LCB importer
 * (electron/services/data/import/) did not exist when this was written: reads `*_eval_all.json` (a list of
 * problems with `graded_list`) into per-problem results. Completed = a generation from which code was extracted;
 * think tags = a generation containing `</think>`. Replace with the shared importer once it lands.
 */
export const readLcbEvalAllMinimal = async (file: string): Promise<ProblemResult[]> => {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ValleyError('bad_input', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  if (!Array.isArray(json)) throw new ValleyError('bad_input', `${file}: expected a list of problems (LiveCodeBench *_eval_all.json)`, { file, field: '$' });
  return json.map((raw, i) => {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = `$[${i}]${issue?.path.length ? `.${issue.path.join('.')}` : ''}`;
      throw new ValleyError('bad_input', `${file}: ${path}: ${issue?.message ?? 'invalid'}`, { file, field: path, row: i });
    }
    const e = parsed.data;
    const n = e.graded_list.length;
    return {
      questionId: e.question_id,
      difficulty: e.difficulty ?? null,
      n,
      passed: e.graded_list.filter((g) => g === true || g === 1).length,
      completed: e.code_list ? e.code_list.filter((c) => c.trim() !== '').length : n,
      thinkTags: (e.output_list ?? []).filter((o) => o.includes('</think>')).length,
    };
  });
};
