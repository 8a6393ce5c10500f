import { ValleyError, type StudyPlan } from '../../../shared/api';
import { difficultyGroupsDefault } from '../../../shared/api/curate';
import type { Study } from '../../../shared/domain/study';
import { conditionLabel, expandStudy } from '../../../shared/domain/study-expand';
import { estimateStudy, type SubsetVolume } from '../../../shared/domain/study-plan';
import type { Engine } from '../engine/engine';
import { listPartitions } from '../curate/partitions';
import { presetPartitions } from '../curate/partition-presets';
import { listSubsets } from '../curate/subsets';
import { getDataset } from '../data/registry';
import { recipeVolumes } from './volume';
import { checkThinkTokens } from './tokenizers';

const presetOf: Record<string, 'correctness' | 'difficulty'> = {
  correct: 'correctness',
  incorrect: 'correctness',
  easy: 'difficulty',
  hard: 'difficulty',
};

/** Partition names the study draws from, and the dataset of each. */
const partitionsUsed = (study: Study): Map<string, string> => {
  const out = new Map<string, string>();
  for (const c of expandStudy(study).conditions) if (c.partition) out.set(c.partition, c.dataset);
  return out;
};

/**
 * Make the partitions a study names from its presets when they are missing (correct/incorrect from the
 * correctness preset, easy/hard from the difficulty preset). Returns the names created.
 */
export const ensureStudyPartitions = async (engine: Engine, study: Study): Promise<string[]> => {
  const have = new Set((await listPartitions(engine)).map((p) => p.name));
  const created: string[] = [];
  const done = new Set<string>();
  for (const [name, dataset] of partitionsUsed(study)) {
    if (have.has(name)) continue;
    const preset = presetOf[name];
    const enabled =
      preset === 'correctness'
        ? study.partitions.correctness !== null
        : preset === 'difficulty'
          ? study.partitions.difficulty !== null
          : false;
    if (!preset || !enabled || done.has(`${preset}:${dataset}`)) continue;
    if (!(await getDataset(engine, dataset))) continue;
    done.add(`${preset}:${dataset}`);
    const made = await presetPartitions(engine, {
      dataset,
      preset,
      by: study.partitions.correctness ?? 'judgement',
      groups: study.partitions.difficulty ?? difficultyGroupsDefault,
      replace: false,
    }).catch((error: unknown) => {
      throw new ValleyError(
        'conflict',
        `Could not make the ${preset} partitions for study ${study.name}: ${error instanceof Error ? error.message : String(error)}`,
        { field: 'partitions' },
      );
    });
    created.push(...made.map((p) => p.name).filter((n) => !have.has(n)));
  }
  return created;
};

const fmtSize = (n: number): string => n.toLocaleString('en-US');

/** What running the study would do, read from the workspace without changing it. */
export const planStudy = async (engine: Engine, study: Study): Promise<StudyPlan> => {
  const x = expandStudy(study);
  const warnings: string[] = [];
  for (const ds of study.teacher.datasets)
    if (!(await getDataset(engine, ds)))
      warnings.push(`No dataset "${ds}" in this workspace: import the teacher traces first`);
  const partitions = new Set((await listPartitions(engine)).map((p) => p.name));
  for (const [name] of partitionsUsed(study)) {
    if (partitions.has(name)) continue;
    const preset = presetOf[name];
    warnings.push(
      preset
        ? `Partition "${name}" does not exist yet: saving the study makes it from the ${preset} preset`
        : `Partition "${name}" does not exist: make it in Curate`,
    );
  }
  const subsets = new Set((await listSubsets(engine)).map((s) => s.name));
  const volumes = new Map<string, Map<number, SubsetVolume>>();
  let estimated = false;
  for (const r of x.subsets) {
    if (!(await getDataset(engine, r.dataset)) || (r.partition && !partitions.has(r.partition))) continue;
    try {
      const v = await recipeVolumes(engine, r);
      volumes.set(r.id, v.bySize);
      estimated ||= v.estimated;
      const tooBig = r.sizes.filter((s) => s > v.available);
      if (tooBig.length)
        warnings.push(
          `${r.partition ?? 'all of ' + r.dataset} has ${fmtSize(v.available)} traces: size ${tooBig.map(fmtSize).join(', ')} cannot be drawn`,
        );
    } catch (error) {
      warnings.push(`Subset ${r.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const student of new Set(x.exports.map((e) => e.tokenizer).filter((t): t is string => t !== null))) {
    if (!study.tokenizers[student])
      warnings.push(
        `tokenizers: give ${student}'s tokenizer.json: rows longer than ${study.transforms.max_seq_len} tokens are measured with it (running refuses without it)`,
      );
  }
  try {
    await checkThinkTokens(study, new Map());
  } catch (error) {
    warnings.push(error instanceof Error ? error.message : String(error));
  }
  if (estimated)
    warnings.push(
      'Token counts are estimates (characters ÷ 3.7): import the dataset with the student’s tokenizer.json for exact GPU-hours',
    );
  const estimate = estimateStudy(study, x, (subset, size) => volumes.get(subset)?.get(size) ?? null);
  return {
    name: study.name,
    conditions: x.conditions.map((c) => ({ ...c, label: conditionLabel(c) })),
    students: study.students,
    seeds: study.seeds,
    cells: x.cells,
    subsets: x.subsets.map((r) => ({
      id: r.id,
      name: r.name,
      dataset: r.dataset,
      partition: r.partition,
      sizes: r.sizes,
      exists: subsets.has(r.name),
    })),
    exports: x.exports,
    estimate,
    warnings,
  };
};
