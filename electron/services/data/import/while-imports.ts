import type { Engine } from '../../engine/engine';

/**
 * A setting held while imports run on an engine, however many run at once: the first to start applies it (`on`),
 * the last to end puts it back (`off`). Returns the start, which returns the release (to call once, when the import
 * has ended, committed or not; calling it again does nothing).
 */
export const whileImports = (
  on: (engine: Engine) => Promise<void>,
  off: (engine: Engine) => Promise<void>,
): ((engine: Engine) => Promise<() => Promise<void>>) => {
  const running = new WeakMap<Engine, number>();
  return async (engine) => {
    const n = running.get(engine) ?? 0;
    running.set(engine, n + 1);
    if (n === 0) await on(engine);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const left = (running.get(engine) ?? 1) - 1;
      running.set(engine, left);
      if (left === 0) await off(engine);
    };
  };
};
