import { useEffect, useRef } from 'react';

/** Open dialogs' close functions, newest last: Escape closes only the newest (a dialog opened over another). */
const stack: { current: () => void }[] = [];

if (typeof window !== 'undefined') {
  window.addEventListener('keydown', (e) => {
    // a field that used the key itself (the palette's input, an open <select>) has already handled it
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    const top = stack.at(-1);
    if (!top) return;
    e.preventDefault();
    top.current();
  });
}

/** Escape closes the dialog that calls this, while `active` (a dialog that stays mounted when closed passes it). */
export const useEscape = (close: () => void, active = true): void => {
  const latest = useRef(close);
  latest.current = close;
  useEffect(() => {
    if (!active) return;
    const entry = latest;
    stack.push(entry);
    return () => {
      const i = stack.lastIndexOf(entry);
      if (i >= 0) stack.splice(i, 1);
    };
  }, [active]);
};
