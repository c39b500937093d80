import {
  FakePeerConnection,
  fakePeerConnectionFactory,
  FakeWebSocket,
  fakeSocketFactory,
  waitInAct,
} from '@support/shared/testing';
import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ORIGIN_REFUSED_TEXT, useEmployeeDesk } from './use-employee-desk';

const ICE = [
  { urls: ['stun:stun.example.org:3478'] },
  { urls: ['turn:turn.example.org:3478'], username: '1764000600:e_1', credential: 'first' },
];
const RENEWED_ICE = [ICE[0], { ...ICE[1], username: '1764000900:e_1', credential: 'renewed' }];
const ASHA = {
  customer_id: 'c_1',
  name: 'Asha Rao',
  waiting_since: '2026-11-24T09:15:02.123Z',
  pan_status: 'read' as const,
};

function setup(onUnauthorized = vi.fn()) {
  const hook = renderHook(() =>
    useEmployeeDesk({
      socketUrl: 'ws://test/ws/employee',
      enabled: true,
      localStream: null,
      onUnauthorized,
      createSocket: fakeSocketFactory,
      createPeerConnection: fakePeerConnectionFactory,
    }),
  );
  const socket = FakeWebSocket.latest();
  act(() => socket.open());
  act(() => socket.receive({ type: 'welcome', employee: { id: 'e_1', name: 'priya' }, ice_servers: ICE }));
  act(() => socket.receive({ type: 'queue', seq: 3, customers: [ASHA] }));
  return { ...hook, socket };
}

/** The server's `paired` for Asha in room `roomId`. */
function paired(roomId: string, panStatus: 'none' | 'read' = 'none') {
  return {
    type: 'paired',
    room_id: roomId,
    customer: { customer_id: 'c_1', name: 'Asha Rao', pan_status: panStatus },
  };
}

describe('useEmployeeDesk', () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    FakePeerConnection.reset();
  });

  it('keeps the queue from the snapshot and the numbered changes', () => {
    const { result, socket } = setup();
    const bala = { ...ASHA, customer_id: 'c_2', name: 'Bala' };
    act(() =>
      socket.receive({
        type: 'queue_changes',
        changes: [
          { seq: 4, op: 'added', position: 2, customer: bala },
          { seq: 5, op: 'removed', customer_id: 'c_1' },
        ],
        waiting: 1,
      }),
    );
    expect(result.current.state.queue.customers).toEqual([bala]);
    expect(socket.messages()).toEqual([]);
  });

  it('asks for the whole queue again when a change is missing', () => {
    const { result, socket } = setup();
    act(() =>
      socket.receive({
        type: 'queue_changes',
        changes: [{ seq: 9, op: 'removed', customer_id: 'c_1' }],
        waiting: 0,
      }),
    );
    expect(socket.messages()).toEqual([{ type: 'queue_sync' }]);
    expect(result.current.state.queue.customers).toEqual([ASHA]);
    act(() => socket.receive({ type: 'queue', seq: 9, customers: [] }));
    expect(result.current.state.queue).toEqual({ customers: [], seq: 9, stale: false });
  });

  it('shows the queue and picks a customer', () => {
    const { result, socket } = setup();
    expect(result.current.state.queue.customers).toEqual([ASHA]);
    act(() => result.current.pick(ASHA));
    expect(socket.messages()).toEqual([{ type: 'pick', customer_id: 'c_1' }]);
    expect(result.current.state.picking).toBe('c_1');
  });

  it('puts renewed TURN credentials into the call and into the next call', async () => {
    const { socket } = setup();
    act(() => socket.receive(paired('r_1')));
    await waitInAct();
    const pc = FakePeerConnection.latest();
    expect(pc.config.iceServers).toEqual(ICE);
    act(() => socket.receive({ type: 'ice_servers', ice_servers: RENEWED_ICE }));
    expect(pc.calls).toContain('setConfiguration');
    expect(pc.config.iceServers).toEqual(RENEWED_ICE);
    act(() => socket.receive({ type: 'call_ended', reason: 'left' }));
    act(() => socket.receive(paired('r_2')));
    await waitInAct();
    expect(FakePeerConnection.latest()).not.toBe(pc);
    expect(FakePeerConnection.latest().config.iceServers).toEqual(RENEWED_ICE);
  });

  it('says who someone else took first when the pick loses the race', () => {
    const { result, socket } = setup();
    act(() => result.current.pick(ASHA));
    act(() => socket.receive({ type: 'error', code: 'already_taken', message: 'taken', request: 'pick' }));
    expect(result.current.state.notice?.text).toBe(
      'Someone else took Asha Rao first. Choose another customer from the queue.',
    );
    expect(result.current.state.picking).toBeNull();
  });

  it('offers on paired, shows the PAN result, and restarts ICE when the customer comes back', async () => {
    const { result, socket } = setup();
    act(() => socket.receive(paired('r_1', 'read')));
    await waitInAct();
    expect(FakePeerConnection.latest().config.iceServers).toEqual(ICE);
    expect(socket.messages().at(-1)).toEqual({
      type: 'signal',
      data: { description: { type: 'offer', sdp: 'offer-sdp' } },
    });
    const result_ = {
      pan: 'ABCPE1234F',
      name: 'ASHA RAO',
      father_name: null,
      dob: null,
      confidence: {},
      warnings: [],
    };
    act(() => socket.receive({ type: 'pan_result', result: result_, image_url: '/api/pan/images/x' }));
    expect(result.current.state.imageUrl).toBe('/api/pan/images/x');
    act(() => socket.receive({ type: 'signal', data: { description: { type: 'answer', sdp: 'a' } } }));
    await waitInAct();
    act(() => socket.receive({ type: 'peer_reconnecting' }));
    expect(result.current.connection).toBe('reconnecting');
    act(() => socket.receive({ type: 'peer_reconnected' }));
    await waitInAct();
    expect(FakePeerConnection.latest().lastOfferOptions).toEqual({ iceRestart: true });
  });

  it('ends the call with leave, and tells the employee when the customer leaves', async () => {
    const { result, socket } = setup();
    act(() => socket.receive(paired('r_1')));
    await waitInAct();
    act(() => result.current.endCall());
    expect(socket.messages().at(-1)).toEqual({ type: 'leave' });
    expect(result.current.state.room).toBeNull();
    expect(result.current.state.notice?.text).toBe('Call ended. Asha Rao is back at the front of the queue.');
    act(() => socket.receive(paired('r_2')));
    await waitInAct();
    act(() => socket.receive({ type: 'customer_left' }));
    expect(result.current.state.room).toBeNull();
    expect(result.current.state.notice?.text).toBe('Asha Rao left the session. The call has ended.');
  });

  it('ends the call with leave when the desk closes (logout) during a call', async () => {
    const { socket, unmount } = setup();
    act(() => socket.receive(paired('r_1')));
    await waitInAct();
    unmount();
    expect(socket.sent.map((m) => JSON.parse(m).type)).toContain('leave');
    expect(socket.closedWith).toBe(1000);
  });

  it('drops a call that ended while the employee was disconnected', async () => {
    const { result, socket } = setup();
    act(() => socket.receive(paired('r_1')));
    await waitInAct();
    act(() => socket.drop(1006));
    await waitInAct(700);
    const again = FakeWebSocket.latest();
    expect(again).not.toBe(socket);
    act(() => again.open());
    act(() => again.receive({ type: 'welcome', employee: { id: 'e_1', name: 'priya' }, ice_servers: ICE }));
    act(() => again.receive({ type: 'queue', seq: 9, customers: [] }));
    expect(result.current.state.room).not.toBeNull();
    await waitInAct(3100);
    expect(result.current.state.room).toBeNull();
    expect(result.current.state.notice?.text).toBe(
      'The call with Asha Rao ended while you were disconnected.',
    );
  });

  it('goes back to the login form when the server ends the login (4401), without retrying', async () => {
    const onUnauthorized = vi.fn();
    const { result, socket } = setup(onUnauthorized);
    act(() => socket.receive({ type: 'error', code: 'unauthorized', message: 'Logged out.' }));
    act(() => socket.drop(4401));
    expect(onUnauthorized).toHaveBeenCalledOnce();
    await waitInAct(800);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(result.current.signaling).toBe('closed');
  });

  it('reopens its socket by itself after a server restart (1001) and gets the queue again', async () => {
    const { result, socket } = setup();
    act(() => socket.drop(1001));
    expect(result.current.signaling).toBe('reconnecting');
    await waitInAct(800);
    const again = FakeWebSocket.latest();
    expect(again).not.toBe(socket);
    act(() => again.open());
    act(() => again.receive({ type: 'welcome', employee: { id: 'e_1', name: 'priya' }, ice_servers: ICE }));
    act(() => again.receive({ type: 'queue', seq: 12, customers: [] }));
    expect(result.current.signaling).toBe('open');
    expect(result.current.state.queue.customers).toEqual([]);
  });

  it('says plainly when the server refuses the page origin (4403), without retrying', async () => {
    const { result, socket } = setup();
    act(() => socket.drop(4403));
    await waitInAct(800);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(result.current.state.notice).toEqual({ tone: 'error', text: ORIGIN_REFUSED_TEXT });
  });

  it('gives up with unreachable when the server stays away, and tries again on retry', () => {
    vi.useFakeTimers();
    try {
      const policy = { baseMs: 100, capMs: 200, giveUpAfterMs: 1000, openTimeoutMs: 500 };
      const hook = renderHook(() =>
        useEmployeeDesk({
          socketUrl: 'ws://test/ws/employee',
          enabled: true,
          localStream: null,
          onUnauthorized: vi.fn(),
          createSocket: fakeSocketFactory,
          createPeerConnection: fakePeerConnectionFactory,
          policy,
        }),
      );
      act(() => FakeWebSocket.latest().open());
      act(() => FakeWebSocket.latest().drop(1006));
      for (let i = 0; i < 40 && hook.result.current.signaling !== 'unreachable'; i += 1) {
        act(() => vi.advanceTimersByTime(100));
        if (FakeWebSocket.latest().readyState === 0) act(() => FakeWebSocket.latest().drop(1006));
      }
      expect(hook.result.current.signaling).toBe('unreachable');
      const attempts = FakeWebSocket.instances.length;
      act(() => hook.result.current.retry());
      expect(FakeWebSocket.instances).toHaveLength(attempts + 1);
      act(() => FakeWebSocket.latest().open());
      expect(hook.result.current.signaling).toBe('open');
    } finally {
      vi.useRealTimers();
    }
  });
});
