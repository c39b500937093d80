import {
  FakePeerConnection,
  fakePeerConnectionFactory,
  FakeWebSocket,
  fakeSocketFactory,
  waitInAct,
} from '@support/shared/testing';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSession } from './saved-session';
import {
  EMPLOYEE_LEFT_TEXT,
  QUEUE_FULL_TEXT,
  RATE_LIMITED_TEXT,
  REPLACED_END,
  RESUME_FAILED_TEXT,
  TOO_MANY_JOINS_TEXT,
  TOO_MANY_SOCKETS_TEXT,
  useCustomerSession,
  type UseCustomerSessionOptions,
} from './use-customer-session';

const WELCOME = {
  type: 'welcome',
  customer_id: 'c_1',
  token: 'tok-1',
  resumed: false,
  ice_servers: [{ urls: ['stun:stun.example.org:3478'] }],
};

/** What `paired` carries for the call: STUN plus TURN with short-lived credentials. */
const CALL_ICE = [
  { urls: ['stun:stun.example.org:3478'] },
  { urls: ['turn:turn.example.org:3478'], username: '1764000600:c_1', credential: 'first' },
];
const RENEWED_ICE = [CALL_ICE[0], { ...CALL_ICE[1], username: '1764000900:c_1', credential: 'renewed' }];

function setup(extra: Partial<UseCustomerSessionOptions> = {}) {
  return renderHook(() =>
    useCustomerSession({
      socketUrl: 'ws://test/ws/customer',
      localStream: null,
      createSocket: fakeSocketFactory,
      createPeerConnection: fakePeerConnectionFactory,
      ...extra,
    }),
  );
}

/** Start as Asha and let the server welcome her; returns her socket. */
function joinAsAsha(result: ReturnType<typeof setup>['result']): FakeWebSocket {
  act(() => result.current.start('Asha'));
  const socket = FakeWebSocket.latest();
  act(() => socket.open());
  act(() => socket.receive(WELCOME));
  return socket;
}

describe('useCustomerSession', () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    FakePeerConnection.reset();
  });

  it('joins with the name, keeps the resume token, and shows the live queue position', () => {
    const { result } = setup();
    expect(result.current.state.phase).toBe('start');
    act(() => result.current.start('  Asha Rao '));
    const socket = FakeWebSocket.latest();
    act(() => socket.open());
    expect(socket.messages()).toEqual([{ type: 'join', name: 'Asha Rao' }]);
    act(() => socket.receive(WELCOME));
    expect(loadSession()).toEqual({ token: 'tok-1', name: 'Asha Rao' });
    act(() => socket.receive({ type: 'queue_position', position: 2, waiting: 3, estimated_wait_s: null }));
    expect(result.current.state.phase).toBe('waiting');
    expect(result.current.state.queue).toEqual({ position: 2, waiting: 3, estimatedWaitS: null });
  });

  it('answers the employee offer and relays candidates in protocol form', async () => {
    const { result } = setup();
    const socket = joinAsAsha(result);
    act(() =>
      socket.receive({ type: 'paired', room_id: 'r_1', employee: { name: 'Priya' }, ice_servers: CALL_ICE }),
    );
    expect(result.current.state.phase).toBe('call');
    expect(result.current.state.employeeName).toBe('Priya');
    act(() => socket.receive({ type: 'signal', data: { description: { type: 'offer', sdp: 'o' } } }));
    await waitInAct();
    const pc = FakePeerConnection.latest();
    expect(pc.config.iceServers).toEqual(CALL_ICE);
    act(() => pc.emitCandidate({ candidate: 'c1', sdpMid: '0', sdpMLineIndex: 0 }));
    const sent = socket.messages().slice(1);
    expect(sent).toEqual([
      { type: 'signal', data: { description: { type: 'answer', sdp: 'answer-sdp' } } },
      { type: 'signal', data: { candidate: { candidate: 'c1', sdp_mid: '0', sdp_m_line_index: 0 } } },
    ]);
    act(() => pc.setConnectionState('connected'));
    expect(result.current.connection).toBe('connected');
  });

  it('calls with the TURN servers of paired, not of welcome, and applies renewed ones', async () => {
    const { result } = setup();
    const socket = joinAsAsha(result);
    act(() =>
      socket.receive({ type: 'paired', room_id: 'r_1', employee: { name: 'Priya' }, ice_servers: CALL_ICE }),
    );
    await waitInAct();
    const pc = FakePeerConnection.latest();
    expect(pc.config.iceServers).toEqual(CALL_ICE);
    act(() => socket.receive({ type: 'ice_servers', ice_servers: RENEWED_ICE }));
    expect(pc.calls).toContain('setConfiguration');
    expect(pc.config.iceServers).toEqual(RENEWED_ICE);
    // after a resume into the same room, the re-sent paired refreshes the same connection
    act(() =>
      socket.receive({ type: 'paired', room_id: 'r_1', employee: { name: 'Priya' }, ice_servers: CALL_ICE }),
    );
    expect(FakePeerConnection.latest()).toBe(pc);
    expect(pc.config.iceServers).toEqual(CALL_ICE);
    // the next call starts with that call's own list
    act(() => socket.receive({ type: 'employee_left' }));
    act(() =>
      socket.receive({
        type: 'paired',
        room_id: 'r_2',
        employee: { name: 'Ravi' },
        ice_servers: RENEWED_ICE,
      }),
    );
    await waitInAct();
    expect(FakePeerConnection.latest()).not.toBe(pc);
    expect(FakePeerConnection.latest().config.iceServers).toEqual(RENEWED_ICE);
  });

  it('tells the customer they are back at the front when the agent leaves', async () => {
    const { result } = setup();
    const socket = joinAsAsha(result);
    act(() => socket.receive({ type: 'paired', room_id: 'r_1', employee: { name: 'Priya' } }));
    await waitInAct();
    act(() => socket.receive({ type: 'employee_left' }));
    act(() => socket.receive({ type: 'queue_position', position: 1, waiting: 1, estimated_wait_s: 60 }));
    await waitInAct();
    expect(result.current.state.phase).toBe('waiting');
    expect(result.current.state.notice?.text).toBe(EMPLOYEE_LEFT_TEXT);
    expect(result.current.state.queue?.position).toBe(1);
    expect(FakePeerConnection.latest().calls).toContain('close');
  });

  it('resumes with the token by itself after a drop (1006) or a server restart (1001)', async () => {
    const { result } = setup();
    let socket = joinAsAsha(result);
    for (const code of [1006, 1001]) {
      act(() => socket.drop(code));
      expect(result.current.signaling).toBe('reconnecting');
      await waitInAct(800);
      socket = FakeWebSocket.latest();
      act(() => socket.open());
      expect(socket.messages()).toEqual([{ type: 'resume', token: 'tok-1' }]);
      act(() => socket.receive({ ...WELCOME, resumed: true }));
      expect(result.current.signaling).toBe('open');
    }
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(result.current.state.phase).toBe('waiting');
  });

  it('joins again once, and says so, when the resume fails', async () => {
    const { result } = setup();
    const first = joinAsAsha(result);
    act(() => first.drop(1006));
    await waitInAct(800);
    const second = FakeWebSocket.latest();
    act(() => second.open());
    act(() => second.receive({ type: 'error', code: 'resume_failed', message: 'expired' }));
    expect(second.messages()).toEqual([
      { type: 'resume', token: 'tok-1' },
      { type: 'join', name: 'Asha' },
    ]);
    expect(loadSession()).toBeNull();
    act(() => second.receive({ ...WELCOME, token: 'tok-2' }));
    act(() => second.receive({ type: 'queue_position', position: 4, waiting: 4, estimated_wait_s: null }));
    expect(result.current.state.notice).toEqual({ tone: 'warning', text: RESUME_FAILED_TEXT });
    expect(result.current.state.queue?.position).toBe(4);
    // the next drop resumes the new session
    act(() => second.drop(1006));
    await waitInAct(800);
    act(() => FakeWebSocket.latest().open());
    expect(FakeWebSocket.latest().messages()).toEqual([{ type: 'resume', token: 'tok-2' }]);
  });

  it('stops and says so on the start screen when the queue is full', async () => {
    const { result } = setup();
    act(() => result.current.start('Asha'));
    const socket = FakeWebSocket.latest();
    act(() => socket.open());
    act(() => socket.receive({ type: 'error', code: 'queue_full', message: 'full', request: 'join' }));
    expect(result.current.state.phase).toBe('start');
    expect(result.current.state.notice).toEqual({ tone: 'error', text: QUEUE_FULL_TEXT });
    expect(socket.closedWith).toBe(1000);
    await waitInAct(800);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(result.current.signaling).toBe('closed');

    act(() => result.current.start('Asha'));
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(result.current.state.notice).toBeNull();
  });

  it('stops when a join is rate limited, and only warns when a later message is', async () => {
    const { result } = setup();
    act(() => result.current.start('Asha'));
    const socket = FakeWebSocket.latest();
    act(() => socket.open());
    act(() => socket.receive({ type: 'error', code: 'rate_limited', message: 'slow down' }));
    expect(result.current.state.phase).toBe('start');
    expect(result.current.state.notice?.text).toBe(TOO_MANY_JOINS_TEXT);
    await waitInAct(800);
    expect(FakeWebSocket.instances).toHaveLength(1);

    const again = joinAsAsha(result);
    act(() => again.receive({ type: 'error', code: 'rate_limited', message: 'slow down' }));
    expect(result.current.state.phase).toBe('waiting');
    expect(result.current.state.notice).toEqual({ tone: 'warning', text: RATE_LIMITED_TEXT });
    expect(again.closedWith).toBeNull();
  });

  it('asks to close other tabs, without retrying, when the address has too many sockets (4429)', async () => {
    const { result } = setup();
    act(() => result.current.start('Asha'));
    const socket = FakeWebSocket.latest();
    act(() => socket.open());
    act(() => socket.receive({ type: 'error', code: 'too_many_connections', message: 'too many' }));
    act(() => socket.drop(4429));
    await waitInAct(800);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(result.current.state.phase).toBe('start');
    expect(result.current.state.notice).toEqual({ tone: 'error', text: TOO_MANY_SOCKETS_TEXT });
  });

  it('ends the session in plain words when it was resumed in another tab (4409)', async () => {
    const { result } = setup();
    const socket = joinAsAsha(result);
    act(() => socket.drop(4409));
    await waitInAct(800);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(result.current.state.phase).toBe('left');
    expect(result.current.state.ended).toEqual(REPLACED_END);
    expect(loadSession()).toBeNull();
  });

  describe('when the server stays away', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('gives up with unreachable, and resumes with the token on retry', () => {
      const policy = { baseMs: 100, capMs: 200, giveUpAfterMs: 1000, openTimeoutMs: 500 };
      const { result } = setup({ policy });
      const socket = joinAsAsha(result);
      act(() => socket.drop(1006));
      for (let i = 0; i < 40 && result.current.signaling !== 'unreachable'; i += 1) {
        act(() => vi.advanceTimersByTime(100));
        if (FakeWebSocket.latest().readyState === 0) act(() => FakeWebSocket.latest().drop(1006));
      }
      expect(result.current.signaling).toBe('unreachable');
      expect(result.current.state.phase).toBe('waiting');
      const attempts = FakeWebSocket.instances.length;
      act(() => vi.advanceTimersByTime(10_000));
      expect(FakeWebSocket.instances).toHaveLength(attempts);

      act(() => result.current.retry());
      act(() => FakeWebSocket.latest().open());
      expect(FakeWebSocket.latest().messages()).toEqual([{ type: 'resume', token: 'tok-1' }]);
      expect(result.current.signaling).toBe('open');
    });
  });

  it('sends pan_confirm and leave, and ends after bye', () => {
    const { result } = setup();
    const socket = joinAsAsha(result);
    const fields = { pan: 'ABCPE1234F', name: 'ASHA RAO', father_name: null, dob: '1990-01-31' };
    act(() => {
      expect(result.current.confirmPan(fields)).toBe(true);
    });
    act(() => socket.receive({ type: 'pan_confirmed', fields }));
    expect(result.current.state.confirmed).toEqual(fields);
    act(() => result.current.leave());
    expect(socket.messages().slice(-2)).toEqual([{ type: 'pan_confirm', fields }, { type: 'leave' }]);
    expect(result.current.state.phase).toBe('left');
    act(() => socket.receive({ type: 'bye' }));
    expect(loadSession()).toBeNull();
  });

  it('goes back to the name form with a message when the server refuses the name', () => {
    const { result } = setup();
    act(() => result.current.start('x'.repeat(10)));
    const socket = FakeWebSocket.latest();
    act(() => socket.open());
    act(() => socket.receive({ type: 'error', code: 'invalid_name', message: 'bad name', request: 'join' }));
    expect(result.current.state.phase).toBe('start');
    expect(result.current.state.startError).toBe('Please enter your name (1 to 64 characters).');
  });

  it('resumes a saved session on page load instead of joining again', () => {
    sessionStorage.setItem('support.customer.session', JSON.stringify({ token: 'saved', name: 'Asha' }));
    const { result } = setup();
    expect(result.current.state.phase).toBe('joining');
    act(() => FakeWebSocket.latest().open());
    expect(FakeWebSocket.latest().messages()).toEqual([{ type: 'resume', token: 'saved' }]);
  });
});
