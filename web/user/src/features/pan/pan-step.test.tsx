import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { PanStep } from './pan-step';
import type { PanUpload } from './use-pan-upload';

function upload(overrides: Partial<PanUpload>): PanUpload {
  return {
    status: 'idle',
    previewUrl: null,
    fileName: null,
    progress: 0,
    result: null,
    error: null,
    canRetry: false,
    retryAt: null,
    select: vi.fn(),
    retry: vi.fn(),
    ...overrides,
  };
}

const noop = () => true;

describe('PanStep', () => {
  it('offers a file picker and a camera capture, both for images only', () => {
    render(<PanStep upload={upload({})} confirmed={null} confirmError={null} onConfirm={noop} />);
    const file = screen.getByLabelText('Choose a file');
    const camera = screen.getByLabelText('Take a photo');
    expect(file).toHaveAttribute('accept', 'image/*');
    expect(file).not.toHaveAttribute('capture');
    expect(camera).toHaveAttribute('accept', 'image/*');
    expect(camera).toHaveAttribute('capture', 'environment');
  });

  it('hands the chosen file to the upload', async () => {
    const state = upload({});
    render(<PanStep upload={state} confirmed={null} confirmError={null} onConfirm={noop} />);
    const file = new File(['x'], 'card.png', { type: 'image/png' });
    await userEvent.upload(screen.getByLabelText('Choose a file'), file);
    expect(state.select).toHaveBeenCalledWith(file);
  });

  it('shows upload progress and then that the card is being read', () => {
    const { rerender } = render(
      <PanStep
        upload={upload({ status: 'uploading', progress: 0.42, previewUrl: 'blob:x' })}
        confirmed={null}
        confirmError={null}
        onConfirm={noop}
      />,
    );
    expect(screen.getByRole('progressbar', { name: 'Uploading… 42%' })).toHaveAttribute('value', '42');
    expect(screen.getByRole('img', { name: 'Preview of the PAN card you chose' })).toBeInTheDocument();
    rerender(
      <PanStep
        upload={upload({ status: 'reading' })}
        confirmed={null}
        confirmError={null}
        onConfirm={noop}
      />,
    );
    expect(screen.getByText('Reading your card…')).toBeInTheDocument();
  });

  it('says in plain words what is wrong with the photo and offers to retake it', async () => {
    const result = {
      pan: 'ABCPE1234F',
      name: 'ASHA RAO',
      father_name: 'RAMESH RAO',
      dob: '1990-01-31',
      confidence: { pan: 0.98, name: 0.95, father_name: 0.93, dob: 0.97 },
      warnings: [],
      quality: [{ code: 'glare' as const, message: 'A reflection hides part of the card.' }],
    };
    render(
      <PanStep upload={upload({ status: 'done', result })} confirmed={null} confirmError={null} onConfirm={noop} />,
    );
    expect(screen.getByTestId('pan-quality')).toHaveTextContent('A reflection hides part of the card.');
    const camera = screen.getByLabelText('Take a photo');
    const opened = vi.fn();
    camera.addEventListener('click', opened);
    await userEvent.click(screen.getByRole('button', { name: 'Retake' }));
    expect(opened).toHaveBeenCalled();
    // the details read stay there to check
    expect(screen.getByRole('form', { name: 'Check your PAN card details' })).toBeInTheDocument();
  });

  it('shows no retake notice for a good photo', () => {
    const result = {
      pan: 'ABCPE1234F',
      name: 'ASHA RAO',
      father_name: 'RAMESH RAO',
      dob: '1990-01-31',
      confidence: {},
      warnings: [],
      quality: [],
    };
    render(
      <PanStep upload={upload({ status: 'done', result })} confirmed={null} confirmError={null} onConfirm={noop} />,
    );
    expect(screen.queryByRole('button', { name: 'Retake' })).not.toBeInTheDocument();
  });

  it('explains an error and offers to try again when that can help', async () => {
    const state = upload({ status: 'error', error: 'Our card reader is busy right now.', canRetry: true });
    render(<PanStep upload={state} confirmed={null} confirmError={null} onConfirm={noop} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Our card reader is busy right now.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(state.retry).toHaveBeenCalled();
  });
});
