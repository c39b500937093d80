import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakePeerConnection, fakePeerConnectionFactory } from '../testing/fake-peer-connection';
import { useCallPeer } from './use-call-peer';

describe('useCallPeer', () => {
  beforeEach(() => FakePeerConnection.reset());

  it('sends the offer as a signal message and remembers a connected call until the call ends', async () => {
    const sent: Array<{ type: string; [key: string]: unknown }> = [];
    const { result, rerender } = renderHook(
      ({ inCall }: { inCall: boolean }) =>
        useCallPeer({
          role: 'offerer',
          localStream: null,
          inCall,
          createPeerConnection: fakePeerConnectionFactory,
        }),
      { initialProps: { inCall: true } },
    );
    expect(result.current.sendRef.current({ type: 'ping' })).toBe(false);
    result.current.sendRef.current = (message) => sent.push(message) > 0;
    await act(async () => {
      result.current.peerRef.current.start([]);
      await result.current.peer.handleSignal(null);
    });
    expect(sent).toEqual([{ type: 'signal', data: { description: { type: 'offer', sdp: 'offer-sdp' } } }]);
    expect(result.current.wasConnected).toBe(false);
    act(() => FakePeerConnection.latest().setConnectionState('connected'));
    expect(result.current.wasConnected).toBe(true);
    act(() => FakePeerConnection.latest().setConnectionState('disconnected'));
    expect(result.current.wasConnected).toBe(true);
    rerender({ inCall: false });
    expect(result.current.wasConnected).toBe(false);
  });
});
