import { defaultMemoryLimit, engineMemoryLimit } from '../../workspace/workspace';
import { whileImports } from './while-imports';

/**
 * An import that copies its source writes a whole table; at the workspace engine's 1 GB `memory_limit` (kept for
 * browsing, see workspace.ts) DuckDB spilled it to the temp folder: at 200K OCR2 traces 5.2–5.6 GB written in all
 * where 2.0 GB at 3 or 8 GB, and the import's SQL took 15.5 s at 1 GB vs 9.9 s at 8 GB (plain `read_json` into a
 * table 7.9 s; load ~1.5). While such imports run the engine may use what plain DuckDB would (defaultMemoryLimit: 40%
 * of RAM, at most 8 GB); afterwards the limit goes back and DuckDB gives its buffers back (at 200K: 2.9 GB during
 * the import, 306 MB right after). `npm run bench:data -- --import-only --no-view --rows 200000`, quiet: 18.3 s
 * (2.26× plain) → 14.6 s (1.98×). Returns the release, to call once the import has ended (committed or not).
 */
export const raiseMemoryForImports = whileImports(
  (engine) => engine.run(`SET memory_limit = '${defaultMemoryLimit()}'`),
  (engine) => engine.run(`SET memory_limit = '${engineMemoryLimit()}'`),
);
