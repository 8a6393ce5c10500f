import { useEffect, useMemo, useRef, useState } from 'react';
import { usePalette } from '../features/palette/store';

const matches = (query: string, text: string): boolean => {
  const q = query.toLowerCase().replace(/\s+/g, '');
  let i = 0;
  for (const ch of text.toLowerCase()) if (ch === q[i]) i++;
  return i === q.length;
};

export const CommandPalette = () => {
  const open = usePalette((s) => s.open);
  const setOpen = usePalette((s) => s.setOpen);
  const commands = usePalette((s) => s.commands);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useMemo(
    () =>
      Object.values(commands)
        .filter((c) => matches(query, `${c.group} ${c.title}`))
        .sort((a, b) => a.group.localeCompare(b.group) || a.title.localeCompare(b.title)),
    [commands, query],
  );
  useEffect(() => {
    if (open) {
      setQuery('');
      setActive(0);
      setTimeout(() => input.current?.focus(), 0);
    }
  }, [open]);
  if (!open) return null;
  const run = (i: number) => {
    const c = list[i];
    if (!c) return;
    setOpen(false);
    c.run();
  };
  return (
    <div className="overlay" onMouseDown={() => setOpen(false)}>
      <div className="palette" role="dialog" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          value={query}
          placeholder="Type a command…"
          aria-label="Command"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, list.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter') run(active);
            else if (e.key === 'Escape') setOpen(false);
            else return;
            e.preventDefault();
          }}
        />
        <ul>
          {list.map((c, i) => (
            <li
              key={c.id}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onClick={() => run(i)}
            >
              <span className="group">{c.group}</span>
              <span>{c.title}</span>
              {c.shortcut && <kbd>{c.shortcut}</kbd>}
            </li>
          ))}
          {list.length === 0 && <li className="empty">No command matches “{query}”</li>}
        </ul>
      </div>
    </div>
  );
};
