import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { UseMediaResult } from '../hooks/use-media';
import { CallPanel } from './call-panel';

const MEDIA: UseMediaResult = {
  status: 'ready',
  stream: null,
  problem: null,
  hasVideo: true,
  hasAudio: true,
  audioEnabled: true,
  videoEnabled: true,
  request: async () => null,
  toggleAudio: () => undefined,
  toggleVideo: () => undefined,
  release: () => undefined,
};

describe('CallPanel', () => {
  it('names the other side in the video label and the away notice, and leaves with the given label', async () => {
    const onLeave = vi.fn();
    render(
      <CallPanel
        titleId="t"
        title="Call with Asha Rao"
        peerName="Asha Rao"
        connection="connected"
        remoteStream={null}
        noRemoteVideo="The customer sends no video"
        media={MEDIA}
        peerAway
        onLeave={onLeave}
        leaveLabel="End call"
      />,
    );
    expect(screen.getByRole('heading', { name: 'Call with Asha Rao' })).toHaveAttribute('id', 't');
    expect(screen.getByText("Asha Rao's video")).toBeInTheDocument();
    expect(screen.getByText('The customer sends no video')).toBeInTheDocument();
    expect(
      screen.getByText('Asha Rao lost the connection. Waiting for them to come back…'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'End call' }));
    expect(onLeave).toHaveBeenCalled();
  });
});
