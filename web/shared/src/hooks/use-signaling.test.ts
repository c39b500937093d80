import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket, fakeSocketFactory } from '../testing/fake-websocket';
import { useSignaling } from './use-signaling';

describe('useSignaling', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('opens when enabled, reports status, and hands messages to the latest handler', () => {
    const first = vi.fn();
    const second = vi.fn();
    const onOpen = vi.fn();
    const { result, rerender } = renderHook(
      ({ onMessage }) =>
        useSignaling({
          url: 'ws://x/ws/customer',
          enabled: true,
          onMessage,
          onOpen,
          createSocket: fakeSocketFactory,
          pingIntervalMs: 0,
        }),
      { initialProps: { onMessage: first } },
    );
    expect(result.current.status).toBe('connecting');
    act(() => FakeWebSocket.latest().open());
    expect(result.current.status).toBe('open');
    expect(onOpen).toHaveBeenCalledWith(false);
    rerender({ onMessage: second });
    act(() => FakeWebSocket.latest().receive({ type: 'pong' }));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith({ type: 'pong' });
    act(() => {
      expect(result.current.send({ type: 'ping' })).toBe(true);
    });
    expect(FakeWebSocket.latest().messages()).toEqual([{ type: 'ping' }]);
  });

  it('closes the socket when disabled or unmounted', () => {
    const { rerender, result, unmount } = renderHook(
      ({ enabled }) =>
        useSignaling({
          url: 'ws://x/ws/employee',
          enabled,
          onMessage: () => undefined,
          createSocket: fakeSocketFactory,
          pingIntervalMs: 0,
        }),
      { initialProps: { enabled: false } },
    );
    expect(FakeWebSocket.instances).toHaveLength(0);
    rerender({ enabled: true });
    const socket = FakeWebSocket.latest();
    act(() => socket.open());
    rerender({ enabled: false });
    expect(socket.closedWith).toBe(1000);
    expect(result.current.status).toBe('closed');
    unmount();
  });

  describe('reconnecting', () => {
    const policy = { baseMs: 500, capMs: 10_000, giveUpAfterMs: 30_000, openTimeoutMs: 10_000 };
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    function setupOpen() {
      const onOpen = vi.fn();
      const onRefused = vi.fn();
      const hook = renderHook(() =>
        useSignaling({
          url: 'ws://x/ws/customer',
          enabled: true,
          onMessage: () => undefined,
          onOpen,
          onRefused,
          createSocket: fakeSocketFactory,
          policy,
          pingIntervalMs: 0,
        }),
      );
      act(() => FakeWebSocket.latest().open());
      return { ...hook, onOpen, onRefused };
    }

    it('comes back by itself after the server restarts (1001) and says reconnecting meanwhile', () => {
      const { result, onOpen } = setupOpen();
      act(() => FakeWebSocket.latest().drop(1001));
      expect(result.current.status).toBe('reconnecting');
      act(() => vi.advanceTimersByTime(500));
      expect(FakeWebSocket.instances).toHaveLength(2);
      act(() => FakeWebSocket.latest().open());
      expect(result.current.status).toBe('open');
      expect(onOpen).toHaveBeenLastCalledWith(true);
    });

    it('gives up with unreachable, then tries again when the browser comes back online', () => {
      const { result } = setupOpen();
      act(() => FakeWebSocket.latest().drop(1006));
      for (let i = 0; i < 100 && result.current.status !== 'unreachable'; i += 1) {
        act(() => vi.advanceTimersByTime(1000));
        if (FakeWebSocket.latest().readyState === 0) act(() => FakeWebSocket.latest().drop(1006));
      }
      expect(result.current.status).toBe('unreachable');
      const attempts = FakeWebSocket.instances.length;
      act(() => window.dispatchEvent(new Event('online')));
      expect(FakeWebSocket.instances).toHaveLength(attempts + 1);
      expect(result.current.status).toBe('reconnecting');
      act(() => FakeWebSocket.latest().open());
      expect(result.current.status).toBe('open');
    });

    it('tries again at once when the page becomes visible after giving up in the background', () => {
      const { result } = setupOpen();
      act(() => FakeWebSocket.latest().drop(1006));
      act(() => vi.advanceTimersByTime(policy.giveUpAfterMs));
      if (FakeWebSocket.latest().readyState === 0) act(() => FakeWebSocket.latest().drop(1006));
      expect(result.current.status).toBe('unreachable');
      const attempts = FakeWebSocket.instances.length;
      act(() => document.dispatchEvent(new Event('visibilitychange')));
      expect(FakeWebSocket.instances).toHaveLength(attempts + 1);
      act(() => FakeWebSocket.latest().open());
      expect(result.current.status).toBe('open');
    });

    it('stops and reports the code when the server refuses the socket', () => {
      const { result, onRefused } = setupOpen();
      act(() => FakeWebSocket.latest().drop(4409));
      act(() => vi.advanceTimersByTime(30_000));
      expect(FakeWebSocket.instances).toHaveLength(1);
      expect(result.current.status).toBe('closed');
      expect(onRefused).toHaveBeenCalledWith(4409);
      act(() => result.current.retry());
      expect(FakeWebSocket.instances).toHaveLength(1);
    });
  });
});
