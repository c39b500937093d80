import { useCallback, useEffect, useRef, useState } from 'react';
import { applyIceServers } from '../lib/ice-servers';
import { fromWireCandidate, readSignalData, toWireCandidate, type SignalData } from '../lib/protocol';

/** Who makes the offer: the employee (`offerer`); the customer answers (`answerer`). */
export type PeerRole = 'offerer' | 'answerer';

/** `idle` until `start()`, then the browser's `RTCPeerConnectionState`. */
export type PeerState = 'idle' | RTCPeerConnectionState;

export interface UsePeerConnectionOptions {
  role: PeerRole;
  /** Tracks added to each new connection (null: receive only). */
  localStream: MediaStream | null;
  /**
   * False while the camera/microphone request is still open: a new connection then waits
   * (at most `localWaitMs`) so that its first offer/answer already carries our tracks.
   */
  localReady?: boolean;
  localWaitMs?: number;
  /** Sends `{"type": "signal", "data": ...}` to the other side. */
  sendSignal: (data: SignalData) => void;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

export interface UsePeerConnectionResult {
  state: PeerState;
  remoteStream: MediaStream | null;
  /** New connection with these ICE servers (replacing any); the offerer sends its offer. */
  start: (iceServers: RTCIceServer[]) => void;
  /**
   * Use these ICE servers (fresh TURN credentials) from now on: in the open connection
   * (`setConfiguration`, so an ICE restart gathers with them) and in the next one.
   */
  setIceServers: (iceServers: RTCIceServer[]) => void;
  /** Close the connection (call over). */
  stop: () => void;
  /** Apply relayed `signal.data` (offer, answer or candidate). */
  handleSignal: (data: unknown) => Promise<void>;
  /** Offerer: new offer with an ICE restart (after `peer_reconnected`). */
  restartIce: () => Promise<void>;
  /** Whether a connection is open (not closed) right now. */
  isActive: () => boolean;
}

const defaultFactory = (config: RTCConfiguration): RTCPeerConnection => new RTCPeerConnection(config);

/**
 * One RTCPeerConnection for a call, driven by our signaling:
 * the employee offers, the customer answers; ICE candidates that arrive before the remote
 * description wait in a queue; an offer or answer that cannot be applied to the current
 * connection (the other side restarted its page) rebuilds the connection instead of failing.
 */
export function usePeerConnection(options: UsePeerConnectionOptions): UsePeerConnectionResult {
  const { role } = options;
  const [state, setState] = useState<PeerState>('idle');
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);

  const pcRef = useRef<RTCPeerConnection | null>(null);
  const pending = useRef<RTCIceCandidateInit[]>([]);
  const iceServers = useRef<RTCIceServer[]>([]);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const opts = useRef(options);
  opts.current = options;
  const readyGate = useRef<{ promise: Promise<void>; open: () => void } | null>(null);
  const localReady = options.localReady !== false;

  useEffect(() => {
    if (localReady && readyGate.current) {
      readyGate.current.open();
      readyGate.current = null;
    }
  }, [localReady]);

  /** Resolves once our media request settled (or after `localWaitMs`). */
  const waitForLocal = useCallback((): Promise<void> => {
    if (opts.current.localReady !== false) return Promise.resolve();
    if (!readyGate.current) {
      let open: () => void = () => undefined;
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      readyGate.current = { promise, open };
    }
    const gate = readyGate.current.promise;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, opts.current.localWaitMs ?? 15000);
      void gate.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }, []);

  const close = useCallback((keepPending = false) => {
    const pc = pcRef.current;
    pcRef.current = null;
    if (!keepPending) pending.current = [];
    if (pc) {
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.oniceconnectionstatechange = null;
      pc.close();
    }
  }, []);

  // The remote picture is our own MediaStream of the receivers' tracks, not the sender's
  // stream: a receiver's track survives renegotiation (e.g. the customer's page reloaded
  // and answered with a new stream id), the sender's stream does not.
  const addRemoteTrack = useCallback((track: MediaStreamTrack, fallback?: MediaStream) => {
    if (typeof MediaStream === 'undefined') {
      if (fallback) setRemoteStream(fallback);
      return;
    }
    setRemoteStream((current) => {
      const tracks = current?.getTracks() ?? [];
      if (tracks.includes(track)) return current;
      return new MediaStream([...tracks.filter((t) => t.kind !== track.kind), track]);
    });
  }, []);

  const refreshRemote = useCallback((pc: RTCPeerConnection) => {
    if (typeof MediaStream === 'undefined' || typeof pc.getTransceivers !== 'function') return;
    const tracks = pc
      .getTransceivers()
      .filter((t) => t.currentDirection === 'sendrecv' || t.currentDirection === 'recvonly')
      .map((t) => t.receiver.track);
    setRemoteStream((current) => {
      const now = current?.getTracks() ?? [];
      const same = now.length === tracks.length && tracks.every((t) => now.includes(t));
      if (same) return current;
      return tracks.length > 0 ? new MediaStream(tracks) : null;
    });
  }, []);

  const create = useCallback((): RTCPeerConnection => {
    // candidates may legitimately arrive just before the offer that creates the connection
    close(true);
    const factory = opts.current.createPeerConnection ?? defaultFactory;
    const pc = factory({ iceServers: iceServers.current });
    pcRef.current = pc;
    setRemoteStream(null);
    setState('new');

    pc.onicecandidate = (event) => {
      if (pcRef.current !== pc || !event.candidate) return;
      const init = typeof event.candidate.toJSON === 'function' ? event.candidate.toJSON() : event.candidate;
      opts.current.sendSignal({ candidate: toWireCandidate(init) });
    };
    pc.ontrack = (event) => {
      if (pcRef.current !== pc) return;
      addRemoteTrack(event.track, event.streams[0]);
    };
    const updateState = () => {
      if (pcRef.current !== pc) return;
      setState(pc.connectionState ?? mapIceState(pc.iceConnectionState));
    };
    pc.onconnectionstatechange = updateState;
    pc.oniceconnectionstatechange = updateState;

    const stream = opts.current.localStream;
    if (stream && stream.getTracks().length > 0) {
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
    }
    if (opts.current.role === 'offerer') {
      // make sure the offer asks for both kinds even when we send nothing of one kind
      const kinds = new Set(stream?.getTracks().map((t) => t.kind) ?? []);
      for (const kind of ['audio', 'video'] as const) {
        if (!kinds.has(kind)) pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
    return pc;
  }, [close, addRemoteTrack]);

  const sendDescription = useCallback((pc: RTCPeerConnection) => {
    const desc = pc.localDescription;
    if (!desc || (desc.type !== 'offer' && desc.type !== 'answer')) return;
    opts.current.sendSignal({ description: { type: desc.type, sdp: desc.sdp } });
  }, []);

  const makeOffer = useCallback(
    async (pc: RTCPeerConnection, iceRestart: boolean) => {
      const offer = await pc.createOffer(iceRestart ? { iceRestart: true } : undefined);
      if (pcRef.current !== pc) return;
      await pc.setLocalDescription(offer);
      if (pcRef.current !== pc) return;
      sendDescription(pc);
    },
    [sendDescription],
  );

  const flushCandidates = useCallback(async (pc: RTCPeerConnection) => {
    const queued = pending.current;
    pending.current = [];
    for (const candidate of queued) {
      try {
        await pc.addIceCandidate(candidate);
      } catch {
        // a candidate of an older negotiation: harmless
      }
    }
  }, []);

  const enqueue = useCallback((task: () => Promise<void>): Promise<void> => {
    const next = chain.current.then(task).catch((error: unknown) => {
      console.warn('peer connection:', error);
    });
    chain.current = next;
    return next;
  }, []);

  const start = useCallback(
    (servers: RTCIceServer[]) => {
      iceServers.current = servers;
      void enqueue(async () => {
        await waitForLocal();
        const pc = create();
        if (opts.current.role === 'offerer') await makeOffer(pc, false);
      });
    },
    [create, enqueue, makeOffer, waitForLocal],
  );

  const setIceServers = useCallback((servers: RTCIceServer[]) => {
    iceServers.current = servers;
    if (pcRef.current) applyIceServers(pcRef.current, servers);
  }, []);

  const stop = useCallback(() => {
    void enqueue(async () => {
      close();
      setRemoteStream(null);
      setState('idle');
    });
  }, [close, enqueue]);

  const applyOffer = useCallback(
    async (sdp: string) => {
      if (!pcRef.current) await waitForLocal();
      let pc = pcRef.current ?? create();
      try {
        await pc.setRemoteDescription({ type: 'offer', sdp });
      } catch {
        // the offerer rebuilt its connection (page reload): start over on a fresh one
        pc = create();
        await pc.setRemoteDescription({ type: 'offer', sdp });
      }
      await flushCandidates(pc);
      const answer = await pc.createAnswer();
      if (pcRef.current !== pc) return;
      await pc.setLocalDescription(answer);
      if (pcRef.current !== pc) return;
      sendDescription(pc);
      refreshRemote(pc);
    },
    [create, flushCandidates, sendDescription, refreshRemote, waitForLocal],
  );

  const applyAnswer = useCallback(
    async (sdp: string) => {
      const pc = pcRef.current;
      if (!pc || pc.signalingState !== 'have-local-offer') return;
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp });
      } catch {
        // the answerer cannot continue this connection: rebuild and offer afresh
        await makeOffer(create(), false);
        return;
      }
      await flushCandidates(pc);
      refreshRemote(pc);
    },
    [create, flushCandidates, makeOffer, refreshRemote],
  );

  const handleSignal = useCallback(
    (data: unknown): Promise<void> => {
      const signal = readSignalData(data);
      if (!signal) return Promise.resolve();
      return enqueue(async () => {
        if ('description' in signal) {
          const { type, sdp } = signal.description;
          if (type === 'offer' && opts.current.role === 'answerer') await applyOffer(sdp);
          else if (type === 'answer' && opts.current.role === 'offerer') await applyAnswer(sdp);
          return;
        }
        const candidate = fromWireCandidate(signal.candidate);
        const pc = pcRef.current;
        if (pc && pc.remoteDescription) {
          try {
            await pc.addIceCandidate(candidate);
          } catch {
            // stale candidate
          }
        } else {
          pending.current.push(candidate);
        }
      });
    },
    [applyAnswer, applyOffer, enqueue],
  );

  const restartIce = useCallback((): Promise<void> => {
    if (role !== 'offerer') return Promise.resolve();
    return enqueue(async () => {
      const pc = pcRef.current;
      if (!pc || pc.connectionState === 'closed' || pc.signalingState === 'closed') {
        await makeOffer(create(), false);
        return;
      }
      if (pc.signalingState !== 'stable') {
        // an offer is still out: a new connection is simpler than a rollback dance
        await makeOffer(create(), false);
        return;
      }
      await makeOffer(pc, true);
    });
  }, [create, enqueue, makeOffer, role]);

  const isActive = useCallback(() => pcRef.current !== null, []);

  useEffect(() => () => close(), [close]);

  return { state, remoteStream, start, setIceServers, stop, handleSignal, restartIce, isActive };
}

function mapIceState(state: RTCIceConnectionState): RTCPeerConnectionState {
  switch (state) {
    case 'checking':
      return 'connecting';
    case 'completed':
    case 'connected':
      return 'connected';
    case 'disconnected':
      return 'disconnected';
    case 'failed':
      return 'failed';
    case 'closed':
      return 'closed';
    default:
      return 'new';
  }
}
