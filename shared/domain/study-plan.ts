import type { Study } from './study';
import type { StudyExpansion } from './study-expand';

/** Tokens and bytes of the first `size` rows of a subset (from the workspace's token counts). */
export interface SubsetVolume {
  readonly tokens: number;
  readonly bytes: number;
}

/** bf16 weights: 2 bytes per parameter (Qwen2.5-7B: 7.62B parameters; Llama-3.1-8B: 8.03B, from their model cards). */
export const studentParams: Readonly<Record<string, number>> = {
  'Qwen/Qwen2.5-7B-Instruct': 7.62e9,
  'meta-llama/Llama-3.1-8B-Instruct': 8.03e9,
};
const defaultParams = 8e9;

export interface StudyPlanEstimate {
  cells: number;
  trainJobs: number;
  evalJobs: number;
  jobs: number;
  /** Training tokens seen (tokens × epochs, summed over trained cells); null where a volume was unknown. */
  trainTokens: number;
  trainGpuHours: number;
  evalGpuHours: number;
  gpuHours: number;
  /** Exported files (local, and uploaded once each). */
  dataBytes: number;
  /** Checkpoints kept on the cluster. */
  checkpointBytes: number;
  /** Cells whose subset volume was not known (their tokens count as 0). */
  unknownVolumes: string[];
}

/**
 * What running the study costs: jobs, GPU-hours (tokens × epochs ÷ the throughput the study sets, plus a fixed
 * cost per evaluation) and disk (exports, and `checkpoints_kept` bf16 checkpoints per trained cell).
 * `volume(subsetId, size)` gives the subset's token and byte counts; it is the only input from the workspace.
 */
export const estimateStudy = (
  study: Study,
  x: StudyExpansion,
  volume: (subset: string, size: number) => SubsetVolume | null,
): StudyPlanEstimate => {
  const { tokens_per_gpu_second: rate, epochs, eval_gpu_hours: evalHours, checkpoints_kept: kept } = study.estimate;
  let trainTokens = 0;
  let checkpointBytes = 0;
  const unknownVolumes: string[] = [];
  for (const cell of x.cells) {
    if (!cell.trains || !cell.subset) continue;
    const v = volume(cell.subset, cell.size);
    if (!v) unknownVolumes.push(cell.id);
    trainTokens += (v?.tokens ?? 0) * epochs;
    checkpointBytes += (studentParams[cell.student] ?? defaultParams) * 2 * kept;
  }
  let dataBytes = 0;
  for (const e of x.exports) for (const size of e.sizes) dataBytes += volume(e.subset, size)?.bytes ?? 0;
  const trainJobs = x.cells.filter((c) => c.trains).length;
  const evalJobs = x.cells.length;
  const trainGpuHours = trainTokens / rate / 3600;
  const evalGpuHours = evalJobs * evalHours;
  return {
    cells: x.cells.length,
    trainJobs,
    evalJobs,
    jobs: trainJobs + evalJobs,
    trainTokens,
    trainGpuHours,
    evalGpuHours,
    gpuHours: trainGpuHours + evalGpuHours,
    dataBytes,
    checkpointBytes,
    unknownVolumes,
  };
};
