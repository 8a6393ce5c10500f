import type { SubsetSpec } from '../../../shared/api';
import { emptyFilter } from '../../../shared/api/traces';
import type { SubsetRecipe } from '../../../shared/domain/study-expand';
import type { SubsetVolume } from '../../../shared/domain/study-plan';
import { ident, type Engine } from '../engine/engine';
import { getDataset } from '../data/registry';
import { createOrderTable } from '../curate/sampler';

/** The curate subset spec of a study's sampling recipe (the sizes are the recipe's, all nested prefixes). */
export const subsetSpecOf = (r: SubsetRecipe): SubsetSpec => ({
  dataset: r.dataset,
  partition: r.partition,
  filter: emptyFilter(),
  sizes: r.sizes,
  seed: r.samplingSeed,
  stratify: r.stratify,
  maxPerQuestion: r.maxPerQuestion,
});

export interface RecipeVolumes {
  /** Rows the recipe can draw from. */
  available: number;
  /** Tokens and bytes of the first `size` rows, per size the recipe needs. */
  bySize: Map<number, SubsetVolume>;
  /** Whether the dataset's token counts are estimates (characters ÷ 3.7) rather than a real tokenizer's. */
  estimated: boolean;
}

/**
 * Tokens and bytes of each size of a recipe, in the sampling order the export will use: `tokens` is the trace's
 * token count from import (exact when a tokenizer was given, else estimated) plus the question's estimated tokens;
 * bytes are the UTF-8 bytes of question and response (the JSONL file is a little larger).
 */
export const recipeVolumes = async (engine: Engine, r: SubsetRecipe): Promise<RecipeVolumes> => {
  const d = await getDataset(engine, r.dataset);
  const s = await engine.session();
  try {
    const available = await createOrderTable(engine, s, { ...subsetSpecOf(r), sizes: [1] }, 'valley_study_volume');
    const sizes = r.sizes.filter((x) => x <= available);
    const rows = await s.all(
      `SELECT sz.size AS size, sum(coalesce(t.tokens, 0) + ceil(strlen(coalesce(t.question, '')) / 3.7))::DOUBLE AS tokens,
              sum(strlen(coalesce(t.question, '')) + strlen(coalesce(t.response, '')))::DOUBLE AS bytes
         FROM valley_study_volume o JOIN ${ident(d?.relation ?? '')} t USING (row_id),
              (SELECT unnest(from_json($sizes, '["BIGINT"]')) AS size) sz
        WHERE o.pos < sz.size GROUP BY sz.size`,
      { sizes: JSON.stringify(sizes) },
    );
    const bySize = new Map(
      rows.map((x) => [Number(x['size']), { tokens: Number(x['tokens']), bytes: Number(x['bytes']) }]),
    );
    return { available, bySize, estimated: d?.tokensEstimated ?? true };
  } finally {
    s.close();
  }
};
