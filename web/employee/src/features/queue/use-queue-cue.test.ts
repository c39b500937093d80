import { renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useQueueCue } from './use-queue-cue';

describe('useQueueCue', () => {
  it('beeps, highlights and badges the title when the queue goes from empty to non-empty', () => {
    const beep = vi.fn();
    const { result, rerender } = renderHook(
      ({ count }) => useQueueCue(count, { sound: true, baseTitle: 'Desk', beep }),
      {
        initialProps: { count: null as number | null },
      },
    );
    rerender({ count: 0 });
    expect(beep).not.toHaveBeenCalled();
    expect(document.title).toBe('Desk');
    rerender({ count: 1 });
    expect(beep).toHaveBeenCalledTimes(1);
    expect(result.current).toBe(true);
    expect(document.title).toBe('(1) Desk');
    rerender({ count: 2 });
    expect(beep).toHaveBeenCalledTimes(1);
  });

  it('does not cue for a queue that was already non-empty when the page opened', () => {
    const beep = vi.fn();
    const { result, rerender } = renderHook(
      ({ count }) => useQueueCue(count, { sound: true, baseTitle: 'Desk', beep }),
      {
        initialProps: { count: null as number | null },
      },
    );
    rerender({ count: 3 });
    expect(beep).not.toHaveBeenCalled();
    expect(result.current).toBe(false);
  });

  it('stays silent with sound off but still highlights', () => {
    const beep = vi.fn();
    const { result, rerender } = renderHook(
      ({ count }) => useQueueCue(count, { sound: false, baseTitle: 'Desk', beep }),
      {
        initialProps: { count: 0 as number | null },
      },
    );
    rerender({ count: 1 });
    expect(beep).not.toHaveBeenCalled();
    expect(result.current).toBe(true);
  });
});
