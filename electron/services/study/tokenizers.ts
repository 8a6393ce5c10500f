import { ValleyError } from '../../../shared/api';
import type { Study } from '../../../shared/domain/study';
import { loadStudentTokenizer, type StudentTokenizer } from './transforms';

/** A student's tokenizer as the study names it (cached per run of the study). */
export const studyTokenizer = async (
  study: Study,
  student: string,
  cache: Map<string, StudentTokenizer>,
): Promise<StudentTokenizer> => {
  const path = study.tokenizers[student];
  if (!path) {
    throw new ValleyError(
      'bad_input',
      `Study ${study.name}: tokenizers: no tokenizer for ${student} (its tokenizer.json, or the model folder): it measures rows against max_seq_len and checks for a <think> token`,
      { field: `tokenizers.${student}` },
    );
  }
  const hit = cache.get(path) ?? (await loadStudentTokenizer(path));
  cache.set(path, hit);
  return hit;
};

/** The study's precondition: no student tokenizer has `<think>` as a special token (the tags are learned as text). */
export const checkThinkTokens = async (study: Study, cache: Map<string, StudentTokenizer>): Promise<void> => {
  for (const student of study.students) {
    if (!study.tokenizers[student]) continue;
    const t = await studyTokenizer(study, student, cache);
    if (t.thinkTokens.length) {
      throw new ValleyError(
        'bad_input',
        `${student}'s tokenizer (${t.path}) has ${t.thinkTokens.join(', ')} as special token(s): the study assumes think tags are plain text to the student`,
        { field: `tokenizers.${student}`, file: t.path },
      );
    }
  }
};
