/** Valley's own tables in the workspace database. Each migration runs once, in order. */
export const migrations: readonly string[] = [
  `CREATE TABLE valley_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
   CREATE TABLE valley_datasets (
     name VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, relation VARCHAR NOT NULL, storage VARCHAR NOT NULL,
     preset VARCHAR NOT NULL, roles JSON NOT NULL, sources JSON NOT NULL, rows BIGINT NOT NULL,
     tokens_estimated BOOLEAN NOT NULL DEFAULT true, is_demo BOOLEAN NOT NULL DEFAULT false,
     created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
   CREATE TABLE valley_runs (
     id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, student VARCHAR NOT NULL, size BIGINT, partition VARCHAR NOT NULL,
     seed INTEGER, status VARCHAR NOT NULL, labels JSON NOT NULL, source VARCHAR NOT NULL,
     is_demo BOOLEAN NOT NULL DEFAULT false, created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
   CREATE TABLE valley_run_metrics (run_id VARCHAR NOT NULL, metric VARCHAR NOT NULL, value DOUBLE NOT NULL,
     PRIMARY KEY (run_id, metric));
   CREATE TABLE valley_run_problems (
     run_id VARCHAR NOT NULL, question_id VARCHAR NOT NULL, difficulty VARCHAR, n INTEGER NOT NULL,
     passed INTEGER NOT NULL, completed INTEGER NOT NULL, think_tags INTEGER NOT NULL,
     PRIMARY KEY (run_id, question_id));`,
];

/**
 * Columns of a normalized trace relation (`ds_<name>`). Importers fill the first block from the
 * source's mapped roles and compute the second block once, at import.
 */
export const traceColumns = `
  row_id BIGINT NOT NULL, id VARCHAR, question_id VARCHAR, question VARCHAR, response VARCHAR,
  correct BOOLEAN, pass_rate DOUBLE, difficulty VARCHAR, source VARCHAR, split VARCHAR,
  think_open BOOLEAN, think_close BOOLEAN, think_chars INTEGER, answer_chars INTEGER,
  response_chars INTEGER, final_code VARCHAR, tokens INTEGER`;
