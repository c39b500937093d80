import { useEffect, useRef, useState, type RefObject } from 'react';
import type { SignalData } from '../lib/protocol';
import type { UseSignalingResult } from './use-signaling';
import { usePeerConnection, type PeerRole, type UsePeerConnectionResult } from './use-peer-connection';

export interface UseCallPeerOptions {
  role: PeerRole;
  localStream: MediaStream | null;
  /** false while the camera/microphone request is still open */
  localReady?: boolean;
  /** Whether a call is on; when it is not, the call no longer counts as "was connected". */
  inCall: boolean;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

export interface UseCallPeerResult {
  peer: UsePeerConnectionResult;
  /** Always the latest `peer`, for message handlers created once. */
  peerRef: RefObject<UsePeerConnectionResult>;
  /**
   * Sends on the signaling socket: point it at `useSignaling(...).send` on every render.
   * The peer's `signal` messages go out through it; until then sending answers false.
   */
  sendRef: RefObject<UseSignalingResult['send']>;
  /** The peer connection reached `connected` at least once in this call. */
  wasConnected: boolean;
}

/**
 * The peer connection of one side of a call, wired to the signaling socket: its offers,
 * answers and candidates go out as `signal` messages, and it remembers whether this call was
 * ever connected (so that a drop reads as `reconnecting`, see `callConnection`).
 */
export function useCallPeer(options: UseCallPeerOptions): UseCallPeerResult {
  const sendRef = useRef<UseSignalingResult['send']>(() => false);
  const [wasConnected, setWasConnected] = useState(false);

  const peer = usePeerConnection({
    role: options.role,
    localStream: options.localStream,
    localReady: options.localReady ?? true,
    sendSignal: (data: SignalData) => {
      sendRef.current({ type: 'signal', data });
    },
    ...(options.createPeerConnection ? { createPeerConnection: options.createPeerConnection } : {}),
  });
  const peerRef = useRef(peer);
  peerRef.current = peer;

  useEffect(() => {
    if (peer.state === 'connected') setWasConnected(true);
  }, [peer.state]);
  useEffect(() => {
    if (!options.inCall) setWasConnected(false);
  }, [options.inCall]);

  return { peer, peerRef, sendRef, wasConnected };
}
