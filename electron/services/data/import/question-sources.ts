import type { QuestionSource } from '../../../../shared/api';
import { sourcePresetFor } from '../../../../shared/domain/presets';
import { columnsOf, ident, type Engine } from '../../engine/engine';
import { sideTableFor } from './build';
import { sourceFor } from './join';

/**
 * What the Data screen shows of the OCR2 question join: for every trace dataset with OCR2's (dataset, index)
 * columns, per `dataset` value, the rows that point to a source, how many have their text and how many are still
 * '-', and the source dataset that fills them (or which one to import). A view's side table keeps the filled
 * question (`question_fill`, NULL where the file had its own text); a table's filled rows are those whose question
 * equals the source's question at (split, index).
 */
export const questionSources = async (engine: Engine, only?: string): Promise<QuestionSource[]> => {
  const datasets = await engine.all(
    `SELECT name, relation, storage FROM valley_datasets WHERE kind = 'traces' ${only ? 'AND name = $n' : ''} ORDER BY name`,
    only ? { n: only } : undefined,
  );
  const sources = await engine.all(
    `SELECT name, relation, preset FROM valley_datasets WHERE kind = 'source' ORDER BY name`,
  );
  const out: QuestionSource[] = [];
  for (const d of datasets) {
    const view = d['storage'] === 'view';
    const table = view ? sideTableFor(String(d['relation'])) : String(d['relation']);
    const [dsCol, ixCol] = view ? ['_dataset', '_index'] : ['dataset', 'index'];
    const cols = await columnsOf(engine, table);
    if (!cols.has(dsCol) || !cols.has(ixCol) || (view && !cols.has('question_fill'))) continue;
    const t = ident(table);
    const keys = await engine.all(
      view
        ? `SELECT ${ident(dsCol)}::VARCHAR AS k, count(*) AS n, count(*) FILTER (WHERE question_fill = '-') AS m
             FROM ${t} WHERE question_fill IS NOT NULL GROUP BY 1 ORDER BY 1`
        : `SELECT ${ident(dsCol)}::VARCHAR AS k, count(*) FILTER (WHERE question = '-') AS m FROM ${t}
             WHERE ${ident(ixCol)} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    for (const r of keys) {
      const key = String(r['k'] ?? '');
      if (!key) continue;
      const source = sourceFor(sources, key);
      const missing = Number(r['m'] ?? 0);
      let filled = 0;
      if (view) filled = Number(r['n'] ?? 0) - missing;
      else if (source) {
        const hit = await engine.all(
          `SELECT count(*) AS f FROM ${t} AS t JOIN ${ident(String(source['relation']))} AS src
              ON lower(coalesce(t.split, '')) = lower(coalesce(src.split, '')) AND TRY_CAST(t.${ident(ixCol)} AS BIGINT) = src.src_index
           WHERE t.${ident(dsCol)}::VARCHAR = $k AND t.question = src.question`,
          { k: key },
        );
        filled = Number(hit[0]?.['f'] ?? 0);
      }
      if (filled + missing === 0) continue;
      const preset = sourcePresetFor(key);
      out.push({
        dataset: String(d['name']),
        key,
        hf: preset?.hf ?? null,
        preset: preset?.name ?? null,
        rows: filled + missing,
        filled,
        missing,
        source: source ? String(source['name']) : null,
      });
    }
  }
  return out;
};
