import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DENIED_MESSAGE, UNAVAILABLE_MESSAGE, useMedia } from './use-media';

function fakeTrack(kind: 'audio' | 'video') {
  return { kind, enabled: true, stop: vi.fn() } as unknown as MediaStreamTrack;
}

function fakeStream(tracks: MediaStreamTrack[]) {
  return {
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  } as unknown as MediaStream;
}

function withGetUserMedia(impl: (c: MediaStreamConstraints) => Promise<MediaStream>) {
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia: vi.fn(impl) },
  });
}

describe('useMedia', () => {
  afterEach(() => {
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: undefined });
  });

  it('gives the stream and lets the person mute and turn the camera off', async () => {
    const audio = fakeTrack('audio');
    const video = fakeTrack('video');
    withGetUserMedia(async () => fakeStream([audio, video]));
    const { result } = renderHook(() => useMedia());
    await act(async () => {
      await result.current.request();
    });
    expect(result.current.status).toBe('ready');
    expect(result.current.hasVideo).toBe(true);
    act(() => result.current.toggleAudio());
    expect(audio.enabled).toBe(false);
    expect(result.current.audioEnabled).toBe(false);
    act(() => result.current.toggleVideo());
    expect(video.enabled).toBe(false);
    act(() => result.current.release());
    expect(audio.stop).toHaveBeenCalled();
  });

  it('says clearly that access was denied', async () => {
    withGetUserMedia(async () => {
      throw new DOMException('no', 'NotAllowedError');
    });
    const { result } = renderHook(() => useMedia());
    await act(async () => {
      expect(await result.current.request()).toBeNull();
    });
    expect(result.current.status).toBe('denied');
    expect(result.current.problem).toBe(DENIED_MESSAGE);
    expect(navigator.mediaDevices.getUserMedia).toHaveBeenCalledTimes(1);
  });

  it('falls back to audio only when there is no camera', async () => {
    withGetUserMedia(async (c) => {
      if (c.video) throw new DOMException('none', 'NotFoundError');
      return fakeStream([fakeTrack('audio')]);
    });
    const { result } = renderHook(() => useMedia());
    await act(async () => {
      await result.current.request();
    });
    expect(result.current.status).toBe('ready');
    expect(result.current.hasVideo).toBe(false);
    expect(result.current.hasAudio).toBe(true);
  });

  it('reports unavailable when no device can be used', async () => {
    withGetUserMedia(async () => {
      throw new DOMException('none', 'NotFoundError');
    });
    const { result } = renderHook(() => useMedia());
    await act(async () => {
      await result.current.request();
    });
    expect(result.current.status).toBe('unavailable');
    expect(result.current.problem).toBe(UNAVAILABLE_MESSAGE);
  });
});
