import {
  callConnection,
  CloseCode,
  useCallPeer,
  useSignaling,
  type AnyMessage,
  type CallConnection,
  type CustomerServerMessage,
  type PanFields,
  type PeerState,
  type ReconnectPolicy,
  type SignalingStatus,
  type SocketFactory,
} from '@support/shared';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { clearSession, loadSession, saveSession } from './saved-session';

/** start: name form · joining: socket opening · waiting: in the queue · call · left: session over */
export type Phase = 'start' | 'joining' | 'waiting' | 'call' | 'left';

export interface QueueInfo {
  position: number;
  waiting: number;
  estimatedWaitS: number | null;
}

export interface SessionNotice {
  tone: 'info' | 'warning' | 'error';
  text: string;
}

/** Why a session ended other than by the customer's own `leave`. */
export interface SessionEnd {
  title: string;
  text: string;
}

export interface SessionState {
  phase: Phase;
  name: string;
  token: string | null;
  customerId: string | null;
  queue: QueueInfo | null;
  roomId: string | null;
  employeeName: string | null;
  peerAway: boolean;
  /** a message for the person: on the waiting screen, or on the start screen after a refusal */
  notice: SessionNotice | null;
  /** set when the server ended the session (phase `left`) for a reason of its own */
  ended: SessionEnd | null;
  /** Error of the start form (e.g. invalid name). */
  startError: string | null;
  /** Values the server acknowledged for `pan_confirm`. */
  confirmed: PanFields | null;
  confirmError: string | null;
}

export const EMPLOYEE_LEFT_TEXT = 'The agent left the call. You are back in the queue, at the front.';
export const RESUME_FAILED_TEXT = 'We could not keep your place in the queue, so you have joined it again.';
export const QUEUE_FULL_TEXT =
  'The queue is full right now, so you could not join it. Please try again in a few minutes.';
export const TOO_MANY_JOINS_TEXT =
  'Too many attempts from your connection. Please wait a minute, then start the session again.';
export const TOO_MANY_SOCKETS_TEXT =
  'Too many sessions are open from your connection. Close the support desk in your other tabs or windows, then start again.';
export const RATE_LIMITED_TEXT = 'Too many requests at once. Please wait a few seconds, then try again.';
export const REPLACED_END: SessionEnd = {
  title: 'Your session continued in another window',
  text: 'This session was opened in another tab or window. Carry on there, or start again here.',
};
export const ORIGIN_END: SessionEnd = {
  title: 'This page cannot reach the support desk',
  text: 'The support desk does not accept connections from this address. Please open the desk from its usual web address.',
};

type Action =
  | { type: 'start'; name: string; token: string | null }
  | { type: 'message'; message: CustomerServerMessage }
  | { type: 'resume_failed' }
  | { type: 'refused_join'; text: string }
  | { type: 'ended'; end: SessionEnd }
  | { type: 'left' }
  | { type: 'dismiss' }
  | { type: 'confirm_sent' }
  | { type: 'reset' };

function initialState(): SessionState {
  const saved = loadSession();
  return {
    phase: saved ? 'joining' : 'start',
    name: saved?.name ?? '',
    token: saved?.token ?? null,
    customerId: null,
    queue: null,
    roomId: null,
    employeeName: null,
    peerAway: false,
    notice: null,
    ended: null,
    startError: null,
    confirmed: null,
    confirmError: null,
  };
}

function sessionReducer(state: SessionState, action: Action): SessionState {
  switch (action.type) {
    case 'start':
      return {
        ...initialState(),
        phase: 'joining',
        name: action.name,
        token: action.token,
      };
    case 'resume_failed':
      return {
        ...state,
        token: null,
        customerId: null,
        roomId: null,
        employeeName: null,
        notice: { tone: 'warning', text: RESUME_FAILED_TEXT },
      };
    case 'refused_join':
      return {
        ...initialState(),
        phase: 'start',
        name: state.name,
        token: null,
        notice: { tone: 'error', text: action.text },
      };
    case 'ended':
      return {
        ...state,
        phase: 'left',
        token: null,
        roomId: null,
        queue: null,
        notice: null,
        ended: action.end,
      };
    case 'left':
      return { ...state, phase: 'left', token: null, roomId: null, queue: null, notice: null };
    case 'reset':
      return { ...initialState(), phase: 'start', name: state.name, token: null };
    case 'dismiss':
      return { ...state, notice: null };
    case 'confirm_sent':
      return { ...state, confirmError: null };
    case 'message':
      return applyMessage(state, action.message);
    default:
      return state;
  }
}

function applyMessage(state: SessionState, message: CustomerServerMessage): SessionState {
  switch (message.type) {
    case 'welcome':
      return {
        ...state,
        token: message.token,
        customerId: message.customer_id,
        phase: state.phase === 'call' && message.resumed ? 'call' : 'waiting',
        startError: null,
      };
    case 'queue_position':
      return {
        ...state,
        phase: 'waiting',
        roomId: null,
        employeeName: null,
        peerAway: false,
        queue: {
          position: message.position,
          waiting: message.waiting,
          estimatedWaitS: message.estimated_wait_s,
        },
      };
    case 'paired':
      return {
        ...state,
        phase: 'call',
        roomId: message.room_id,
        employeeName: message.employee?.name ?? null,
        peerAway: false,
        notice: null,
      };
    case 'employee_left':
      return {
        ...state,
        phase: 'waiting',
        roomId: null,
        employeeName: null,
        peerAway: false,
        notice: { tone: 'info', text: EMPLOYEE_LEFT_TEXT },
      };
    case 'peer_reconnecting':
      return { ...state, peerAway: true };
    case 'peer_reconnected':
      return { ...state, peerAway: false };
    case 'pan_confirmed':
      return { ...state, confirmed: message.fields, confirmError: null };
    case 'bye':
      return { ...state, phase: 'left', token: null, roomId: null, queue: null };
    case 'error':
      if (message.code === 'invalid_name') {
        return {
          ...state,
          phase: 'start',
          startError: 'Please enter your name (1 to 64 characters).',
        };
      }
      if (message.code === 'rate_limited') {
        return { ...state, notice: { tone: 'warning', text: RATE_LIMITED_TEXT } };
      }
      if (message.request === 'pan_confirm' || message.code === 'bad_message') {
        return { ...state, confirmError: message.message };
      }
      return state;
    default:
      return state;
  }
}

export interface UseCustomerSessionOptions {
  socketUrl: string;
  localStream: MediaStream | null;
  /** false while the camera/microphone request is still open */
  localReady?: boolean;
  createSocket?: SocketFactory;
  /** when and how fast the socket reconnects (default: `DEFAULT_RECONNECT_POLICY`) */
  policy?: ReconnectPolicy;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

export interface CustomerSession {
  state: SessionState;
  signaling: SignalingStatus;
  peerState: PeerState;
  connection: CallConnection;
  remoteStream: MediaStream | null;
  start: (name: string) => void;
  leave: () => void;
  confirmPan: (fields: PanFields) => boolean;
  dismissNotice: () => void;
  startOver: () => void;
  /** Try to reach the server again after the socket gave up (`signaling` is `unreachable`). */
  retry: () => void;
}

/**
 * The customer's whole session: join (or resume after a reload / network blip), the queue,
 * the call's peer connection (the customer answers), and leaving.
 */
export function useCustomerSession(options: UseCustomerSessionOptions): CustomerSession {
  const [state, dispatch] = useReducer(sessionReducer, undefined, initialState);
  const stateRef = useRef(state);
  stateRef.current = state;
  const [enabled, setEnabled] = useState(state.phase === 'joining');
  const { peer, peerRef, sendRef, wasConnected } = useCallPeer({
    role: 'answerer',
    localStream: options.localStream,
    inCall: state.phase === 'call',
    localReady: options.localReady ?? true,
    ...(options.createPeerConnection ? { createPeerConnection: options.createPeerConnection } : {}),
  });
  const roomRef = useRef<string | null>(null);
  const closeRef = useRef<() => void>(() => undefined);
  const leaveTimer = useRef<number | null>(null);

  const onOpen = useCallback(() => {
    const { token, name } = stateRef.current;
    if (token) sendRef.current({ type: 'resume', token });
    else sendRef.current({ type: 'join', name });
  }, []);

  const onMessage = useCallback((raw: AnyMessage) => {
    const message = raw as unknown as CustomerServerMessage;
    const current = stateRef.current;
    switch (message.type) {
      case 'welcome':
        saveSession({ token: message.token, name: current.name });
        stateRef.current = { ...current, customerId: message.customer_id, token: message.token };
        break;
      case 'paired':
        // the call's ICE servers come with `paired` (TURN credentials; `welcome` has STUN only)
        if (roomRef.current !== message.room_id || !peerRef.current.isActive()) {
          roomRef.current = message.room_id;
          peerRef.current.start(message.ice_servers ?? []);
        } else {
          peerRef.current.setIceServers(message.ice_servers ?? []);
        }
        break;
      case 'ice_servers':
        // renewed TURN credentials during the call
        peerRef.current.setIceServers(message.ice_servers ?? []);
        break;
      case 'signal':
        void peerRef.current.handleSignal(message.data);
        break;
      case 'employee_left':
      case 'queue_position':
        if (roomRef.current !== null) {
          roomRef.current = null;
          peerRef.current.stop();
        }
        break;
      case 'bye':
        clearSession();
        roomRef.current = null;
        peerRef.current.stop();
        setEnabled(false);
        break;
      case 'error':
        if (message.code === 'resume_failed') {
          // once: the `join` either works or is refused below, never another `resume`
          clearSession();
          dispatch({ type: 'resume_failed' });
          stateRef.current = { ...stateRef.current, token: null, customerId: null };
          sendRef.current({ type: 'join', name: stateRef.current.name });
          return;
        }
        if (
          message.code === 'queue_full' ||
          (message.code === 'rate_limited' &&
            (message.request === 'join' || stateRef.current.customerId === null))
        ) {
          // our `join` was refused: stop (no retry loop) and say so on the start screen
          clearSession();
          closeRef.current();
          setEnabled(false);
          dispatch({
            type: 'refused_join',
            text: message.code === 'queue_full' ? QUEUE_FULL_TEXT : TOO_MANY_JOINS_TEXT,
          });
          return;
        }
        if (message.code === 'invalid_name') {
          clearSession();
          setEnabled(false);
        }
        break;
      default:
        break;
    }
    dispatch({ type: 'message', message });
  }, []);

  const onRefused = useCallback((code: number) => {
    clearSession();
    roomRef.current = null;
    peerRef.current.stop();
    setEnabled(false);
    if (code === CloseCode.tooManySockets) dispatch({ type: 'refused_join', text: TOO_MANY_SOCKETS_TEXT });
    else dispatch({ type: 'ended', end: code === CloseCode.replaced ? REPLACED_END : ORIGIN_END });
  }, []);

  const signaling = useSignaling({
    url: options.socketUrl,
    enabled,
    onOpen,
    onMessage,
    onRefused,
    ...(options.createSocket ? { createSocket: options.createSocket } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  sendRef.current = signaling.send;
  closeRef.current = signaling.close;

  useEffect(
    () => () => {
      if (leaveTimer.current !== null) window.clearTimeout(leaveTimer.current);
    },
    [],
  );

  const start = useCallback((name: string) => {
    const trimmed = name.trim();
    if (leaveTimer.current !== null) window.clearTimeout(leaveTimer.current);
    leaveTimer.current = null;
    dispatch({ type: 'start', name: trimmed, token: null });
    stateRef.current = { ...stateRef.current, name: trimmed, token: null };
    setEnabled(true);
  }, []);

  const leave = useCallback(() => {
    const sent = sendRef.current({ type: 'leave' });
    clearSession();
    roomRef.current = null;
    peerRef.current.stop();
    dispatch({ type: 'left' });
    if (!sent) {
      setEnabled(false);
      return;
    }
    // the server answers `bye` and closes; do not wait for it forever
    leaveTimer.current = window.setTimeout(() => setEnabled(false), 3000);
  }, []);

  const confirmPan = useCallback((fields: PanFields) => {
    dispatch({ type: 'confirm_sent' });
    return sendRef.current({ type: 'pan_confirm', fields });
  }, []);

  const dismissNotice = useCallback(() => dispatch({ type: 'dismiss' }), []);
  const startOver = useCallback(() => {
    if (leaveTimer.current !== null) window.clearTimeout(leaveTimer.current);
    leaveTimer.current = null;
    setEnabled(false);
    dispatch({ type: 'reset' });
  }, []);

  return {
    state,
    signaling: signaling.status,
    peerState: peer.state,
    connection: callConnection({
      signaling: signaling.status,
      peer: peer.state,
      peerAway: state.peerAway,
      wasConnected,
    }),
    remoteStream: peer.remoteStream,
    start,
    leave,
    confirmPan,
    dismissNotice,
    startOver,
    retry: signaling.retry,
  };
}
