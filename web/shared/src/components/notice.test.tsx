import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionBadge } from './connection-badge';
import { Notice } from './notice';
import { VideoTile } from './video-tile';

describe('Notice', () => {
  it('announces errors as alerts and everything else politely, with a dismiss button', async () => {
    const onDismiss = vi.fn();
    const { rerender } = render(
      <Notice tone="error" title="Upload failed">
        Too large
      </Notice>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Upload failedToo large');
    rerender(
      <Notice tone="info" onDismiss={onDismiss}>
        Back in the queue
      </Notice>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Back in the queue');
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(onDismiss).toHaveBeenCalled();
  });
});

describe('ConnectionBadge', () => {
  it('says the connection state in words', () => {
    const { rerender } = render(<ConnectionBadge state="connecting" />);
    expect(screen.getByRole('status')).toHaveTextContent('Connecting…');
    rerender(<ConnectionBadge state="reconnecting" />);
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting…');
    rerender(<ConnectionBadge state="connected" />);
    expect(screen.getByRole('status')).toHaveTextContent('Connected');
  });
});

describe('VideoTile', () => {
  it('shows a readable placeholder instead of an empty video when there is no stream', () => {
    render(
      <VideoTile stream={null} label="Agent's video" placeholder="Connecting the video…" testId="remote" />,
    );
    expect(screen.getByText('Connecting the video…')).toBeInTheDocument();
    expect(screen.getByTestId('remote')).not.toBeVisible();
    expect(screen.getByText("Agent's video")).toBeInTheDocument();
  });

  it('mutes and mirrors the own preview', () => {
    render(<VideoTile stream={null} label="You" self testId="self" />);
    const video = screen.getByTestId('self') as HTMLVideoElement;
    expect(video.muted).toBe(true);
    expect(video.closest('figure')).toHaveClass('video-tile--self');
  });
});
