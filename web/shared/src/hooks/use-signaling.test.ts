import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
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
});
