import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket, fakeSocketFactory } from '../testing/fake-websocket';
import { SignalingClient, type SignalingStatus } from './signaling-client';

function makeClient(extra: Partial<ConstructorParameters<typeof SignalingClient>[0]> = {}) {
  const messages: unknown[] = [];
  const statuses: SignalingStatus[] = [];
  const opens: boolean[] = [];
  const client = new SignalingClient({
    url: 'ws://test/ws/customer',
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    onOpen: (reconnected) => opens.push(reconnected),
    createSocket: fakeSocketFactory,
    policy: { baseMs: 200, capMs: 1000, giveUpAfterMs: 5000, openTimeoutMs: 3000 },
    random: () => 0.5,
    pingIntervalMs: 0,
    ...extra,
  });
  return { client, messages, statuses, opens };
}

describe('SignalingClient', () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('delivers parsed messages and sends JSON once open', () => {
    const { client, messages, opens } = makeClient();
    client.start();
    const socket = FakeWebSocket.latest();
    expect(client.send({ type: 'ping' })).toBe(false);
    socket.open();
    expect(opens).toEqual([false]);
    expect(client.send({ type: 'join', name: 'Asha' })).toBe(true);
    expect(socket.messages()).toEqual([{ type: 'join', name: 'Asha' }]);
    socket.receive({ type: 'pong' });
    socket.receive('garbage');
    expect(messages).toEqual([{ type: 'pong' }]);
  });

  it('reconnects after a drop with growing delays and reports reconnected on the new socket', () => {
    const { client, statuses, opens } = makeClient();
    client.start();
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().drop();
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().drop();
    vi.advanceTimersByTime(150);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(3);
    FakeWebSocket.latest().open();
    expect(opens).toEqual([false, true]);
    expect(statuses.at(-1)).toBe('open');
  });

  it('reconnects after the server goes away (1001), e.g. for a restart', () => {
    const { client, opens } = makeClient();
    client.start();
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().drop(1001);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().open();
    expect(opens).toEqual([false, true]);
  });

  it('stops for good when the server refuses the login (4401), the origin (4403) or replaces the socket (4409)', () => {
    for (const code of [4401, 4403, 4409]) {
      FakeWebSocket.reset();
      const fatal: number[] = [];
      const { client, statuses } = makeClient({ onRefused: (c) => fatal.push(c) });
      client.start();
      FakeWebSocket.latest().open();
      FakeWebSocket.latest().drop(code);
      vi.advanceTimersByTime(10_000);
      expect(FakeWebSocket.instances).toHaveLength(1);
      expect(statuses.at(-1)).toBe('closed');
      expect(fatal).toEqual([code]);
    }
  });

  it('does not reconnect after close() or after the server said bye and closed', () => {
    const { client, statuses } = makeClient();
    client.start();
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().receive({ type: 'bye' });
    FakeWebSocket.latest().drop(1000);
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(statuses.at(-1)).toBe('closed');

    const second = makeClient();
    second.client.start();
    const socket = FakeWebSocket.latest();
    second.client.close();
    expect(socket.closedWith).toBe(1000);
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('sends a ping keep-alive periodically while open', () => {
    const { client } = makeClient({ pingIntervalMs: 1000 });
    client.start();
    FakeWebSocket.latest().open();
    vi.advanceTimersByTime(2500);
    expect(FakeWebSocket.latest().messages()).toEqual([{ type: 'ping' }, { type: 'ping' }]);
  });

  it('reconnects after a normal close that did not follow bye', () => {
    const { client } = makeClient();
    client.start();
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().drop(1000);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('gives up after the policy allows, says unreachable, and tries again on retry()', () => {
    const { client, statuses, opens } = makeClient();
    client.start();
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().drop(1006);
    for (let i = 0; i < 50 && statuses.at(-1) !== 'unreachable'; i += 1) {
      vi.advanceTimersByTime(1000);
      FakeWebSocket.latest().drop(1006);
    }
    expect(statuses.at(-1)).toBe('unreachable');
    const attempts = FakeWebSocket.instances.length;
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(attempts);

    client.retry();
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(FakeWebSocket.instances).toHaveLength(attempts + 1);
    FakeWebSocket.latest().open();
    expect(statuses.at(-1)).toBe('open');
    expect(opens).toEqual([false, true]);
  });

  it('gives up on a first connection that never opens, counting attempts that hang', () => {
    const { client, statuses } = makeClient();
    client.start();
    vi.advanceTimersByTime(4000);
    expect(statuses.at(-1)).toBe('connecting');
    expect(FakeWebSocket.instances[0]?.closedWith).toBe(1000);
    expect(FakeWebSocket.instances.length).toBeGreaterThan(1);
    vi.advanceTimersByTime(10_000);
    expect(statuses.at(-1)).toBe('unreachable');
  });

  it('does nothing on retry() after a stop for good', () => {
    const { client } = makeClient();
    client.start();
    client.close();
    client.retry();
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
