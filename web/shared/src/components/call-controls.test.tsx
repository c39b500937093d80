import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CallControls } from './call-controls';

describe('CallControls', () => {
  it('offers mute, camera and leave as real buttons with pressed state', async () => {
    const onToggleAudio = vi.fn();
    const onLeave = vi.fn();
    render(
      <CallControls
        audioEnabled={false}
        videoEnabled
        hasAudio
        hasVideo
        onToggleAudio={onToggleAudio}
        onToggleVideo={() => undefined}
        onLeave={onLeave}
        leaveLabel="End call"
      />,
    );
    const unmute = screen.getByRole('button', { name: 'Unmute' });
    expect(unmute).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(unmute);
    expect(onToggleAudio).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Camera off' })).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(screen.getByRole('button', { name: 'End call' }));
    expect(onLeave).toHaveBeenCalled();
  });

  it('disables the camera button when there is no camera', () => {
    render(
      <CallControls
        audioEnabled
        videoEnabled
        hasAudio
        hasVideo={false}
        onToggleAudio={() => undefined}
        onToggleVideo={() => undefined}
        onLeave={() => undefined}
        leaveLabel="Leave"
      />,
    );
    expect(screen.getByRole('button', { name: 'Camera off' })).toBeDisabled();
  });
});
