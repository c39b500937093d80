import type { PanResult } from '@support/shared';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { PanForm } from './pan-form';

const RESULT: PanResult = {
  pan: 'ABCPE1234F',
  name: 'ASHA RAO',
  father_name: 'RAMESH RAO',
  dob: '1990-01-31',
  confidence: { pan: 0.98, name: 0.95, father_name: 0.55, dob: 0.97 },
  layout: 'new',
  holder_type: 'individual',
  warnings: [],
};

describe('PanForm', () => {
  it('pre-fills the four labelled fields from the OCR result', () => {
    render(<PanForm result={RESULT} confirmed={null} confirmError={null} onConfirm={() => true} />);
    expect(screen.getByLabelText('PAN number')).toHaveValue('ABCPE1234F');
    expect(screen.getByLabelText('Name')).toHaveValue('ASHA RAO');
    expect(screen.getByLabelText("Father's name")).toHaveValue('RAMESH RAO');
    const dob = screen.getByLabelText('Date of birth');
    expect(dob).toHaveValue('1990-01-31');
    expect(dob).toHaveAttribute('type', 'date');
  });

  it('flags a low-confidence field in words, not only by colour', () => {
    render(<PanForm result={RESULT} confirmed={null} confirmError={null} onConfirm={() => true} />);
    expect(screen.getByLabelText("Father's name")).toHaveAccessibleDescription(/please check.*55% sure/i);
    expect(screen.getByLabelText('Name')).not.toHaveAccessibleDescription(/please check/i);
  });

  it('sends the edited values and shows the acknowledgement', async () => {
    const onConfirm = vi.fn(() => true);
    const { rerender } = render(
      <PanForm result={RESULT} confirmed={null} confirmError={null} onConfirm={onConfirm} />,
    );
    const father = screen.getByLabelText("Father's name");
    await userEvent.clear(father);
    await userEvent.type(father, 'RAMESH K RAO');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm details' }));
    const fields = { pan: 'ABCPE1234F', name: 'ASHA RAO', father_name: 'RAMESH K RAO', dob: '1990-01-31' };
    expect(onConfirm).toHaveBeenCalledWith(fields);
    rerender(<PanForm result={RESULT} confirmed={{ ...fields }} confirmError={null} onConfirm={onConfirm} />);
    expect(screen.getByText(/Confirmed\. The agent can see these details/)).toBeInTheDocument();
  });

  it('refuses a PAN number of the wrong shape before sending', async () => {
    const onConfirm = vi.fn(() => true);
    render(<PanForm result={RESULT} confirmed={null} confirmError={null} onConfirm={onConfirm} />);
    const pan = screen.getByLabelText('PAN number');
    await userEvent.clear(pan);
    await userEvent.type(pan, 'abc12');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm details' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(pan).toHaveAccessibleDescription(/5 letters, 4 digits and 1 letter/);
  });
});
