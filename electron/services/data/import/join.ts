import { sourcePresetFor } from '../../../../shared/domain/presets';
import { columnsOf, ident } from '../../engine/engine';
import type { Row, Session } from '../../engine/engine';
import { QUESTION_PREVIEW_CHARS, sideTableFor } from './build';

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The imported source dataset for OCR2's `dataset` value `k`: one imported with the matching preset (taco, apps,
 * code_contests, codeforces), else one whose name contains `k` ("taco" in "BAAI-TACO").
 */
export const sourceFor = (sources: readonly Row[], k: string): Row | undefined => {
  const preset = sourcePresetFor(k)?.name;
  return (
    sources.find((x) => preset !== undefined && x['preset'] === preset) ??
    sources.find((x) => norm(String(x['name'])).includes(norm(k)))
  );
};

/**
 * OpenCodeReasoning-2 leaves `question` as '-' where the problem text must come from its source dataset
 * (TACO, APPS, CodeContests), by (dataset, split, index). For every imported source dataset whose name
 * contains the row's `dataset` value (e.g. "taco" in "BAAI-TACO"), fill those questions in. Returns how
 * many rows got their question. `target` is the table holding the question (or the side table's
 * `question_fill` for a view); `dataset`/`index` are the column names there; `preview`, when given, is the
 * stored question preview kept in step.
 */
export const joinSourceQuestions = async (
  s: Session,
  target: { table: string; question: string; dataset: string; index: string; preview?: string },
): Promise<number> => {
  const sources = await s.all(`SELECT name, relation, preset FROM valley_datasets WHERE kind = 'source' ORDER BY name`);
  if (sources.length === 0) return 0;
  const t = ident(target.table);
  const qc = ident(target.question);
  const keys = await s.all(`SELECT DISTINCT ${ident(target.dataset)}::VARCHAR AS k FROM ${t} WHERE ${qc} = '-'`);
  let joined = 0;
  for (const { k } of keys) {
    if (typeof k !== 'string' || !norm(k)) continue;
    const source = sourceFor(sources, k);
    if (!source) continue;
    const before = await s.all(`SELECT count(*) AS n FROM ${t} WHERE ${qc} = '-'`);
    await s.run(
      `UPDATE ${t} AS t SET ${qc} = src.question${target.preview ? `, ${ident(target.preview)} = left(src.question, ${QUESTION_PREVIEW_CHARS})` : ''}
       FROM ${ident(String(source['relation']))} AS src
       WHERE t.${qc} = '-' AND t.${ident(target.dataset)}::VARCHAR = $k
         AND lower(coalesce(t.split, '')) = lower(coalesce(src.split, ''))
         AND TRY_CAST(t.${ident(target.index)} AS BIGINT) = src.src_index AND src.question IS NOT NULL`,
      { k },
    );
    const after = await s.all(`SELECT count(*) AS n FROM ${t} WHERE ${qc} = '-'`);
    joined += Number(before[0]?.['n'] ?? 0) - Number(after[0]?.['n'] ?? 0);
  }
  return joined;
};

/**
 * After a source dataset is imported, fill the '-' questions of trace datasets imported before it.
 * Returns how many rows got their question.
 */
export const fillExistingTraces = async (s: Session): Promise<number> => {
  const datasets = await s.all(`SELECT relation, storage FROM valley_datasets WHERE kind = 'traces'`);
  let filled = 0;
  for (const d of datasets) {
    const view = d['storage'] === 'view';
    const table = view ? sideTableFor(String(d['relation'])) : String(d['relation']);
    const target = view
      ? { table, question: 'question_fill', dataset: '_dataset', index: '_index', preview: 'question_preview' }
      : { table, question: 'question', dataset: 'dataset', index: 'index', preview: 'question_preview' };
    const cols = await columnsOf(s, table);
    if (![target.question, target.dataset, target.index].every((c) => cols.has(c))) continue;
    // relations written before question previews existed have none to keep in step
    filled += await joinSourceQuestions(
      s,
      target.preview && !cols.has(target.preview) ? { ...target, preview: undefined } : target,
    );
  }
  return filled;
};
