import {
  callConnection,
  CloseCode,
  useCallPeer,
  useSignaling,
  type AnyMessage,
  type CallConnection,
  type EmployeeServerMessage,
  type PanFields,
  type PanResult,
  type PanStatus,
  type PeerState,
  type QueueEntry,
  type ReconnectPolicy,
  type SignalingStatus,
  type SocketFactory,
} from '@support/shared';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { applyQueueMessage, EMPTY_QUEUE, type LiveQueue } from '../queue/live-queue';

/** How long after a reconnect's `welcome` a missing `paired` means our room is gone. */
const ROOM_CHECK_MS = 3000;

export const ORIGIN_REFUSED_TEXT =
  'The server does not accept connections from this address. Please open the desk from its usual web address.';

export interface RoomInfo {
  roomId: string;
  customerId: string;
  customerName: string;
  panStatus: PanStatus;
}

export interface DeskNotice {
  tone: 'info' | 'warning' | 'error';
  text: string;
}

export interface DeskState {
  employeeName: string | null;
  /** the queue from the server's snapshot and changes */
  queue: LiveQueue;
  room: RoomInfo | null;
  panResult: PanResult | null;
  imageUrl: string | null;
  originalUrl: string | null;
  panConfirmed: PanFields | null;
  peerAway: boolean;
  notice: DeskNotice | null;
  /** customer id of a `pick` in flight */
  picking: string | null;
}

type Action =
  | { type: 'message'; message: EmployeeServerMessage; pickedName: string | null }
  | { type: 'picking'; customerId: string }
  | { type: 'ended_locally' }
  | { type: 'room_gone' }
  | { type: 'notice'; notice: DeskNotice | null };

const INITIAL: DeskState = {
  employeeName: null,
  queue: EMPTY_QUEUE,
  room: null,
  panResult: null,
  imageUrl: null,
  originalUrl: null,
  panConfirmed: null,
  peerAway: false,
  notice: null,
  picking: null,
};

function clearedRoom(state: DeskState): DeskState {
  return {
    ...state,
    room: null,
    panResult: null,
    imageUrl: null,
    originalUrl: null,
    panConfirmed: null,
    peerAway: false,
  };
}

function deskReducer(state: DeskState, action: Action): DeskState {
  switch (action.type) {
    case 'picking':
      return { ...state, picking: action.customerId, notice: null };
    case 'ended_locally': {
      const name = state.room?.customerName;
      return {
        ...clearedRoom(state),
        notice: name
          ? { tone: 'info', text: `Call ended. ${name} is back at the front of the queue.` }
          : null,
      };
    }
    case 'room_gone':
      return state.room
        ? {
            ...clearedRoom(state),
            notice: {
              tone: 'warning',
              text: `The call with ${state.room.customerName} ended while you were disconnected.`,
            },
          }
        : state;
    case 'notice':
      return { ...state, notice: action.notice };
    case 'message':
      return applyMessage(state, action.message, action.pickedName);
    default:
      return state;
  }
}

function applyMessage(
  state: DeskState,
  message: EmployeeServerMessage,
  pickedName: string | null,
): DeskState {
  switch (message.type) {
    case 'welcome':
      return { ...state, employeeName: message.employee?.name ?? null };
    case 'queue':
    case 'queue_changes':
      return { ...state, queue: applyQueueMessage(state.queue, message) };
    case 'paired': {
      const sameRoom = state.room?.roomId === message.room_id;
      const base = sameRoom ? state : clearedRoom(state);
      return {
        ...base,
        picking: null,
        notice: null,
        room: {
          roomId: message.room_id,
          customerId: message.customer.customer_id,
          customerName: message.customer.name,
          panStatus: message.customer.pan_status,
        },
      };
    }
    case 'pan_result':
      return {
        ...state,
        panResult: message.result,
        imageUrl: message.image_url,
        originalUrl: message.original_url,
      };
    case 'pan_confirmed':
      return { ...state, panConfirmed: message.fields };
    case 'peer_reconnecting':
      return { ...state, peerAway: true };
    case 'peer_reconnected':
      return { ...state, peerAway: false };
    case 'call_ended':
      return state.room ? { ...clearedRoom(state) } : state;
    case 'customer_left': {
      const name = state.room?.customerName ?? 'The customer';
      return {
        ...clearedRoom(state),
        notice: { tone: 'warning', text: `${name} left the session. The call has ended.` },
      };
    }
    case 'error': {
      const who = pickedName ?? 'that customer';
      switch (message.code) {
        case 'already_taken':
          return {
            ...state,
            picking: null,
            notice: {
              tone: 'warning',
              text: `Someone else took ${who} first. Choose another customer from the queue.`,
            },
          };
        case 'not_found':
          return {
            ...state,
            picking: null,
            notice: { tone: 'warning', text: `${who} is no longer waiting.` },
          };
        case 'already_in_room':
          return { ...state, picking: null, notice: { tone: 'warning', text: 'You are already in a call.' } };
        case 'rate_limited':
          return {
            ...state,
            picking: null,
            notice: { tone: 'warning', text: 'Too many actions at once. Please try again.' },
          };
        default:
          return message.request === 'pick'
            ? { ...state, picking: null, notice: { tone: 'error', text: message.message } }
            : state;
      }
    }
    default:
      return state;
  }
}

export interface UseEmployeeDeskOptions {
  socketUrl: string;
  enabled: boolean;
  localStream: MediaStream | null;
  /** false while the camera/microphone request is still open */
  localReady?: boolean;
  /** The server refused our login (4401): back to the login form. */
  onUnauthorized: () => void;
  createSocket?: SocketFactory;
  /** when and how fast the socket reconnects (default: `DEFAULT_RECONNECT_POLICY`) */
  policy?: ReconnectPolicy;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

export interface EmployeeDesk {
  state: DeskState;
  signaling: SignalingStatus;
  /** the socket was replaced by a newer one (another tab) */
  replaced: boolean;
  peerState: PeerState;
  connection: CallConnection;
  remoteStream: MediaStream | null;
  pick: (customer: QueueEntry) => void;
  endCall: () => void;
  dismissNotice: () => void;
  /** Use this tab again after the desk was opened in another one. */
  reconnect: () => void;
  /** Try to reach the server again after the socket gave up (`signaling` is `unreachable`). */
  retry: () => void;
}

/**
 * The employee's live desk: the queue, picking a customer, the call (the employee offers,
 * and restarts ICE when the customer comes back), and the customer's PAN result.
 */
export function useEmployeeDesk(options: UseEmployeeDeskOptions): EmployeeDesk {
  const [state, dispatch] = useReducer(deskReducer, INITIAL);
  const [replaced, setReplaced] = useState(false);
  const pickedName = useRef<string | null>(null);
  const roomRef = useRef<string | null>(null);
  const roomCheck = useRef<number | null>(null);
  const iceRef = useRef<RTCIceServer[]>([]);
  const optsRef = useRef(options);
  optsRef.current = options;

  const { peer, peerRef, sendRef, wasConnected } = useCallPeer({
    role: 'offerer',
    localStream: options.localStream,
    inCall: state.room !== null,
    localReady: options.localReady ?? true,
    ...(options.createPeerConnection ? { createPeerConnection: options.createPeerConnection } : {}),
  });

  const onMessage = useCallback((raw: AnyMessage) => {
    const message = raw as unknown as EmployeeServerMessage;
    switch (message.type) {
      case 'welcome':
        iceRef.current = message.ice_servers ?? [];
        if (roomRef.current !== null) {
          // back after a drop: the server re-sends `paired` right away if we still have a room
          if (roomCheck.current !== null) window.clearTimeout(roomCheck.current);
          roomCheck.current = window.setTimeout(() => {
            roomCheck.current = null;
            if (roomRef.current === null) return;
            roomRef.current = null;
            peerRef.current.stop();
            dispatch({ type: 'room_gone' });
          }, ROOM_CHECK_MS);
        }
        break;
      case 'paired':
        if (roomCheck.current !== null) window.clearTimeout(roomCheck.current);
        roomCheck.current = null;
        if (roomRef.current === message.room_id && peerRef.current.isActive()) {
          // we reconnected into our room: new ICE path, same connection
          void peerRef.current.restartIce();
        } else {
          roomRef.current = message.room_id;
          peerRef.current.start(iceRef.current);
        }
        break;
      case 'ice_servers':
        // renewed TURN credentials: for the call on now and for the next one
        iceRef.current = message.ice_servers ?? [];
        peerRef.current.setIceServers(iceRef.current);
        break;
      case 'peer_reconnected':
        if (roomRef.current !== null) void peerRef.current.restartIce();
        break;
      case 'signal':
        void peerRef.current.handleSignal(message.data);
        break;
      case 'call_ended':
      case 'customer_left':
        roomRef.current = null;
        peerRef.current.stop();
        break;
      default:
        break;
    }
    dispatch({ type: 'message', message, pickedName: pickedName.current });
  }, []);

  const onRefused = useCallback((code: number) => {
    if (code === CloseCode.unauthorized) optsRef.current.onUnauthorized();
    else if (code === CloseCode.replaced) setReplaced(true);
    else dispatch({ type: 'notice', notice: { tone: 'error', text: ORIGIN_REFUSED_TEXT } });
  }, []);

  // Logging out (unmount) during a call ends it properly instead of leaving the customer
  // waiting out the reconnect grace period. Declared before useSignaling so that this cleanup
  // runs while the socket is still open.
  useEffect(
    () => () => {
      if (roomCheck.current !== null) window.clearTimeout(roomCheck.current);
      if (roomRef.current !== null) sendRef.current({ type: 'leave' });
    },
    [],
  );

  const signaling = useSignaling({
    url: options.socketUrl,
    enabled: options.enabled && !replaced,
    onMessage,
    onRefused,
    ...(options.createSocket ? { createSocket: options.createSocket } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  sendRef.current = signaling.send;

  // a missing queue change: ask for the whole queue again (a reconnect brings it too)
  useEffect(() => {
    if (state.queue.stale) sendRef.current({ type: 'queue_sync' });
  }, [state.queue.stale]);

  const pick = useCallback((customer: QueueEntry) => {
    pickedName.current = customer.name;
    if (sendRef.current({ type: 'pick', customer_id: customer.customer_id })) {
      dispatch({ type: 'picking', customerId: customer.customer_id });
    } else {
      dispatch({
        type: 'notice',
        notice: { tone: 'error', text: 'Not connected to the server right now. Please try again.' },
      });
    }
  }, []);

  const endCall = useCallback(() => {
    sendRef.current({ type: 'leave' });
    roomRef.current = null;
    peerRef.current.stop();
    dispatch({ type: 'ended_locally' });
  }, []);

  const dismissNotice = useCallback(() => dispatch({ type: 'notice', notice: null }), []);
  const reconnect = useCallback(() => {
    setReplaced(false);
  }, []);

  return {
    state,
    signaling: signaling.status,
    replaced,
    peerState: peer.state,
    connection: callConnection({
      signaling: signaling.status,
      peer: peer.state,
      peerAway: state.peerAway,
      wasConnected,
    }),
    remoteStream: peer.remoteStream,
    pick,
    endCall,
    dismissNotice,
    reconnect,
    retry: signaling.retry,
  };
}
