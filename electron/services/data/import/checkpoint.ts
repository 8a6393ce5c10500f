import { whileImports } from './while-imports';

/**
 * DuckDB writes the WAL into the database file (a checkpoint, compressing every new row group) at the first commit
 * that finds the WAL over `checkpoint_threshold` (16 MiB by default, a GLOBAL setting: `duckdb_settings()` of
 * DuckDB 1.5). An import's scan commits its whole table to the WAL, so the import's publishing commit paid for that
 * checkpoint (about 3–6 s of a 20–40 s import of 20K–50K traces), work plain `CREATE TABLE … AS SELECT` leaves
 * to a later commit or to closing the database. While imports run the threshold is raised; the checkpoint then
 * happens at the first commit after them (the search index build) or at close. The data is durable in the WAL
 * either way. Returns the release, to call once the import has ended (committed or not).
 */
export const deferCheckpoints = whileImports(
  (engine) => engine.run(`SET checkpoint_threshold = '1TB'`),
  (engine) => engine.run('RESET checkpoint_threshold'),
);
