import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { StartScreen } from './start-screen';

describe('StartScreen', () => {
  it('starts a session with the typed name and explains the camera request first', async () => {
    const onStart = vi.fn();
    render(<StartScreen onStart={onStart} busy={false} error={null} />);
    expect(screen.getByText(/browser will ask to use your camera and microphone/i)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Your name'), 'Asha Rao');
    await userEvent.click(screen.getByRole('button', { name: 'Start session' }));
    expect(onStart).toHaveBeenCalledWith('Asha Rao');
  });

  it('asks for a name instead of starting with an empty one', async () => {
    const onStart = vi.fn();
    render(<StartScreen onStart={onStart} busy={false} error={null} />);
    await userEvent.type(screen.getByLabelText('Your name'), '   {enter}');
    expect(onStart).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('Please enter your name.');
    expect(screen.getByLabelText('Your name')).toHaveAttribute('aria-invalid', 'true');
  });
});
