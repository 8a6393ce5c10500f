import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_ERRORS, NOTICE_MS, useNotices } from '../../renderer/features/notices/store';

describe('notices', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useNotices.getState().dismissAll();
  });
  afterEach(() => vi.useRealTimers());
  const titles = () => useNotices.getState().notices.map((n) => n.title);

  it('closes info and success notices after a few seconds, keeps errors until dismissed', () => {
    const { push } = useNotices.getState();
    push({ kind: 'info', title: 'saved' });
    push({ kind: 'error', title: 'failed' });
    vi.advanceTimersByTime(NOTICE_MS - 1);
    expect(titles()).toEqual(['saved', 'failed']);
    vi.advanceTimersByTime(1);
    expect(titles()).toEqual(['failed']);
    vi.advanceTimersByTime(60_000);
    expect(titles()).toEqual(['failed']);
    useNotices.getState().dismiss(useNotices.getState().notices[0]?.id ?? -1);
    expect(titles()).toEqual([]);
  });

  it(`stacks at most ${MAX_ERRORS} errors (the oldest goes) and counts a repeated one`, () => {
    const { push } = useNotices.getState();
    for (const t of ['a', 'b', 'c', 'd', 'e']) push({ kind: 'error', title: t });
    expect(titles()).toEqual(['c', 'd', 'e']);
    push({ kind: 'error', title: 'd' });
    push({ kind: 'error', title: 'd' });
    expect(useNotices.getState().notices.map((n) => `${n.title}×${n.count}`)).toEqual(['c×1', 'd×3', 'e×1']);
  });

  it('restarts the timer of a repeated info notice', () => {
    const { push } = useNotices.getState();
    push({ kind: 'success', title: 'copied' });
    vi.advanceTimersByTime(NOTICE_MS - 100);
    push({ kind: 'success', title: 'copied' });
    vi.advanceTimersByTime(200);
    expect(titles()).toEqual(['copied']);
    vi.advanceTimersByTime(NOTICE_MS);
    expect(titles()).toEqual([]);
  });
});
