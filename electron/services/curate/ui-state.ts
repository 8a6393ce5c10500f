import type { Engine } from '../engine/engine';

/** Screen state per workspace (filters, sort, open trace, panels), so reopening restores the view. */
export const getUiState = async (engine: Engine, key: string): Promise<unknown> => {
  const rows = await engine.all('SELECT value FROM valley_ui_state WHERE key = $key', { key });
  return rows[0] ? (JSON.parse(String(rows[0]['value'])) as unknown) : null;
};

export const setUiState = async (engine: Engine, key: string, value: unknown): Promise<void> => {
  await engine.transaction(async (s) => {
    await s.run('DELETE FROM valley_ui_state WHERE key = $key', { key });
    await s.run('INSERT INTO valley_ui_state VALUES ($key, $value)', { key, value: JSON.stringify(value ?? null) });
  });
};
