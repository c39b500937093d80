import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SignalData } from '../lib/protocol';
import { FakePeerConnection, fakePeerConnectionFactory } from '../testing/fake-peer-connection';
import { waitInAct } from '../testing/wait-in-act';
import { usePeerConnection, type PeerRole } from './use-peer-connection';

function setup(role: PeerRole) {
  const sent: SignalData[] = [];
  const hook = renderHook(() =>
    usePeerConnection({
      role,
      localStream: null,
      sendSignal: (data) => sent.push(data),
      createPeerConnection: fakePeerConnectionFactory,
    }),
  );
  return { ...hook, sent };
}

const ICE = [{ urls: ['stun:stun.example.org:3478'] }];
const FRESH = [
  { urls: ['stun:stun.example.org:3478'] },
  { urls: ['turn:turn.example.org:3478'], username: '1764000600:e_1', credential: 'fresh' },
];

describe('usePeerConnection', () => {
  beforeEach(() => FakePeerConnection.reset());

  it('as the offerer, creates a connection with the ICE servers and sends an offer', async () => {
    const { result, sent } = setup('offerer');
    await act(async () => {
      result.current.start(ICE);
      await result.current.handleSignal(null);
    });
    const pc = FakePeerConnection.latest();
    expect(pc.config.iceServers).toEqual(ICE);
    expect(pc.transceivers).toEqual(['audio', 'video']);
    expect(sent).toEqual([{ description: { type: 'offer', sdp: 'offer-sdp' } }]);
    expect(result.current.state).toBe('new');
  });

  it('puts fresh ICE servers into the open connection and uses them for the next one', async () => {
    const { result } = setup('offerer');
    await act(async () => {
      result.current.start(ICE);
      await result.current.handleSignal(null);
    });
    const first = FakePeerConnection.latest();
    act(() => result.current.setIceServers(FRESH));
    expect(first.calls).toContain('setConfiguration');
    expect(first.config.iceServers).toEqual(FRESH);
    await act(async () => {
      await result.current.handleSignal({ description: { type: 'answer', sdp: 'remote-answer' } });
      await result.current.restartIce();
    });
    expect(FakePeerConnection.latest()).toBe(first); // the ICE restart gathers with them
    expect(first.lastOfferOptions).toEqual({ iceRestart: true });
    await act(async () => {
      result.current.stop();
      await result.current.handleSignal(null);
    });
    act(() => result.current.setIceServers(ICE));
    expect(first.config.iceServers).toEqual(FRESH); // closed: left alone
    await act(async () => {
      result.current.start(FRESH);
      await result.current.handleSignal(null);
    });
    expect(FakePeerConnection.latest()).not.toBe(first);
    expect(FakePeerConnection.latest().config.iceServers).toEqual(FRESH);
  });

  it('queues candidates that arrive before the description and applies them after it', async () => {
    const { result, sent } = setup('answerer');
    await act(async () => {
      await result.current.handleSignal({
        candidate: { candidate: 'cand-1', sdp_mid: '0', sdp_m_line_index: 0 },
      });
    });
    await act(async () => {
      await result.current.handleSignal({ description: { type: 'offer', sdp: 'remote-offer' } });
    });
    const pc = FakePeerConnection.latest();
    expect(pc.calls).toEqual([
      'setRemoteDescription:offer',
      'addIceCandidate',
      'createAnswer',
      'setLocalDescription:answer',
    ]);
    expect(pc.addedCandidates).toEqual([{ candidate: 'cand-1', sdpMid: '0', sdpMLineIndex: 0 }]);
    expect(sent).toEqual([{ description: { type: 'answer', sdp: 'answer-sdp' } }]);
  });

  it('sends local candidates in the protocol snake_case form', async () => {
    const { result, sent } = setup('offerer');
    await act(async () => {
      result.current.start(ICE);
      await result.current.handleSignal(null);
    });
    act(() => FakePeerConnection.latest().emitCandidate({ candidate: 'c', sdpMid: '1', sdpMLineIndex: 1 }));
    expect(sent.at(-1)).toEqual({ candidate: { candidate: 'c', sdp_mid: '1', sdp_m_line_index: 1 } });
  });

  it('reports the browser connection state', async () => {
    const { result } = setup('offerer');
    await act(async () => {
      result.current.start(ICE);
      await result.current.handleSignal(null);
    });
    act(() => FakePeerConnection.latest().setConnectionState('connected'));
    expect(result.current.state).toBe('connected');
    await act(async () => {
      result.current.stop();
      await result.current.handleSignal(null);
    });
    expect(result.current.state).toBe('idle');
    expect(FakePeerConnection.latest().calls).toContain('close');
  });

  it('restarts ICE with a new offer on the same connection once the call is established', async () => {
    const { result, sent } = setup('offerer');
    await act(async () => {
      result.current.start(ICE);
      await result.current.handleSignal({ description: { type: 'answer', sdp: 'a' } });
    });
    await act(async () => {
      await result.current.restartIce();
    });
    expect(FakePeerConnection.instances).toHaveLength(1);
    expect(FakePeerConnection.latest().lastOfferOptions).toEqual({ iceRestart: true });
    expect(sent.at(-1)).toEqual({ description: { type: 'offer', sdp: 'offer-sdp-restart' } });
  });

  it('rebuilds the connection when an offer cannot be applied to the current one', async () => {
    const { result, sent } = setup('answerer');
    await act(async () => {
      await result.current.handleSignal({ description: { type: 'offer', sdp: 'o1' } });
    });
    FakePeerConnection.latest().failNextRemote = true;
    await act(async () => {
      await result.current.handleSignal({ description: { type: 'offer', sdp: 'o2' } });
    });
    expect(FakePeerConnection.instances).toHaveLength(2);
    expect(FakePeerConnection.instances[0]?.calls).toContain('close');
    expect(FakePeerConnection.latest().remoteDescription).toEqual({ type: 'offer', sdp: 'o2' });
    expect(sent).toHaveLength(2);
  });

  it('waits for the camera request to settle before answering, so the answer carries our tracks', async () => {
    const sent: SignalData[] = [];
    const { result, rerender } = renderHook(
      ({ ready }) =>
        usePeerConnection({
          role: 'answerer',
          localStream: null,
          localReady: ready,
          sendSignal: (data) => sent.push(data),
          createPeerConnection: fakePeerConnectionFactory,
        }),
      { initialProps: { ready: false } },
    );
    let done = false;
    act(() => {
      void result.current.handleSignal({ description: { type: 'offer', sdp: 'o' } }).then(() => {
        done = true;
      });
    });
    await waitInAct(20);
    expect(FakePeerConnection.instances).toHaveLength(0);
    expect(done).toBe(false);
    rerender({ ready: true });
    await waitInAct();
    expect(FakePeerConnection.instances).toHaveLength(1);
    expect(sent).toEqual([{ description: { type: 'answer', sdp: 'answer-sdp' } }]);
  });

  it('ignores an offer when it is the offerer and an answer when it is the answerer', async () => {
    const { result, sent } = setup('answerer');
    await act(async () => {
      await result.current.handleSignal({ description: { type: 'answer', sdp: 'x' } });
    });
    expect(FakePeerConnection.instances).toHaveLength(0);
    expect(sent).toEqual([]);
  });
});
