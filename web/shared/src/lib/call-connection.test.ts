import { describe, expect, it } from 'vitest';
import { callConnection } from './call-connection';

describe('callConnection', () => {
  it('says connecting before the first connection and connected once up', () => {
    expect(callConnection({ signaling: 'open', peer: 'new', peerAway: false, wasConnected: false })).toBe(
      'connecting',
    );
    expect(
      callConnection({ signaling: 'open', peer: 'connected', peerAway: false, wasConnected: true }),
    ).toBe('connected');
  });

  it('says reconnecting when our socket, the peer or the media path dropped', () => {
    expect(
      callConnection({ signaling: 'reconnecting', peer: 'new', peerAway: false, wasConnected: false }),
    ).toBe('reconnecting');
    expect(callConnection({ signaling: 'open', peer: 'connected', peerAway: true, wasConnected: true })).toBe(
      'reconnecting',
    );
    expect(
      callConnection({ signaling: 'open', peer: 'disconnected', peerAway: false, wasConnected: true }),
    ).toBe('reconnecting');
    expect(
      callConnection({ signaling: 'unreachable', peer: 'new', peerAway: false, wasConnected: true }),
    ).toBe('reconnecting');
  });
});
