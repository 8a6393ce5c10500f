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
  // curation (issue 4): partitions, their include/exclude marks, subset recipes, the undo log, screen state
  `CREATE TABLE valley_partitions (name VARCHAR NOT NULL, dataset VARCHAR NOT NULL, filter JSON NOT NULL,
     match_all BOOLEAN NOT NULL, description VARCHAR NOT NULL DEFAULT '',
     created_at TIMESTAMP NOT NULL DEFAULT current_timestamp, updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
   CREATE TABLE valley_partition_marks (partition VARCHAR NOT NULL, row_id BIGINT NOT NULL, mark VARCHAR NOT NULL);
   CREATE TABLE valley_subsets (name VARCHAR NOT NULL, spec JSON NOT NULL, plan JSON NOT NULL,
     created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
   CREATE TABLE valley_curate_log (seq BIGINT NOT NULL, label VARCHAR NOT NULL, undo JSON NOT NULL, redo JSON NOT NULL,
     undone BOOLEAN NOT NULL DEFAULT false);
   CREATE TABLE valley_ui_state (key VARCHAR NOT NULL, value JSON NOT NULL);`,
  // cluster dispatch (issue 5): cluster profiles (no secrets) and the jobs sent to them
  `CREATE TABLE valley_clusters (name VARCHAR PRIMARY KEY, profile JSON NOT NULL,
     created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
   CREATE TABLE valley_jobs (
     id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, cluster VARCHAR NOT NULL, kind VARCHAR NOT NULL,
     template VARCHAR NOT NULL, remote_id VARCHAR, remote_dir VARCHAR NOT NULL, state VARCHAR NOT NULL,
     detail VARCHAR NOT NULL DEFAULT '', node VARCHAR, exit_code INTEGER, submitted_at VARCHAR NOT NULL,
     started_at VARCHAR, finished_at VARCHAR, elapsed_seconds DOUBLE, labels JSON NOT NULL, manifest VARCHAR,
     run_id VARCHAR, files JSON NOT NULL, updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp);`,
  // results import (issue 3): a run's training curve from its torchtune log
  `CREATE TABLE valley_run_curves (run_id VARCHAR NOT NULL, step BIGINT NOT NULL, metric VARCHAR NOT NULL,
     value DOUBLE NOT NULL, PRIMARY KEY (run_id, step, metric));`,
  // results without generation text (LiveCodeBench *_eval.json): completion and think tags unknown, not 0
  `ALTER TABLE valley_run_problems ALTER COLUMN completed DROP NOT NULL;
   ALTER TABLE valley_run_problems ALTER COLUMN think_tags DROP NOT NULL;`,
  // from a score to a problem (issue 13): each generation with its extracted code and graded result, and the
  // benchmark's question text (one row per question, shared by every run that answered it)
  `CREATE TABLE valley_run_outputs (run_id VARCHAR NOT NULL, question_id VARCHAR NOT NULL, idx INTEGER NOT NULL,
     output VARCHAR, code VARCHAR, passed BOOLEAN, detail VARCHAR);
   CREATE TABLE valley_questions (question_id VARCHAR NOT NULL, title VARCHAR, platform VARCHAR, contest_date VARCHAR,
     content VARCHAR, starter_code VARCHAR);`,
];

/**
 * Columns of a normalized trace relation (`ds_<name>`). Importers fill the first block from the
 * source's mapped roles and compute the second block once, at import.
 */
export const traceColumns = `
  row_id BIGINT NOT NULL, id VARCHAR, question_id VARCHAR, question VARCHAR, response VARCHAR,
  correct BOOLEAN, pass_rate DOUBLE, difficulty VARCHAR, source VARCHAR, split VARCHAR,
  think_open BOOLEAN, think_close BOOLEAN, think_chars INTEGER, answer_chars INTEGER,
  response_chars INTEGER, final_code VARCHAR, tokens INTEGER, question_preview VARCHAR`;
