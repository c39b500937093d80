import { describe, expect, it } from 'vitest';
import { FakePeerConnection } from '../testing/fake-peer-connection';
import { applyIceServers } from './ice-servers';

const STUN = [{ urls: ['stun:stun.example.org:3478'] }];
const TURN = [...STUN, { urls: ['turn:turn.example.org:3478'], username: '1764000600:c_1', credential: 'x' }];

describe('applyIceServers', () => {
  it('replaces the ICE servers of an open connection and keeps the rest of its configuration', () => {
    const pc = new FakePeerConnection({ iceServers: STUN, bundlePolicy: 'max-bundle' });
    expect(applyIceServers(pc as unknown as RTCPeerConnection, TURN)).toBe(true);
    expect(pc.config).toEqual({ iceServers: TURN, bundlePolicy: 'max-bundle' });
  });

  it('reports a connection that refuses them (closed) instead of throwing', () => {
    const pc = new FakePeerConnection({ iceServers: STUN });
    pc.close();
    expect(applyIceServers(pc as unknown as RTCPeerConnection, TURN)).toBe(false);
    expect(pc.config.iceServers).toEqual(STUN);
  });
});
