import type { PanResult } from '@support/shared';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { differs, PanPanel } from './pan-panel';

const RESULT: PanResult = {
  pan: 'ABCPE1234F',
  name: 'ASHA RAO',
  father_name: 'RAMESH RAO',
  dob: '1990-01-31',
  confidence: { pan: 0.98, name: 0.95, father_name: 0.62, dob: 0.97 },
  layout: 'new',
  holder_type: 'individual',
  warnings: ['PAN position 7: read O as 0'],
};

describe('PanPanel', () => {
  it('shows the image, each OCR field with its confidence, and the warnings', () => {
    render(<PanPanel customerName="Asha" result={RESULT} imageUrl="/api/pan/images/i1" confirmed={null} />);
    expect(screen.getByRole('img', { name: 'PAN card uploaded by Asha' })).toHaveAttribute(
      'src',
      '/api/pan/images/i1',
    );
    expect(screen.getByTestId('ocr-pan')).toHaveTextContent('ABCPE1234F');
    expect(screen.getByRole('row', { name: /Father's name/ })).toHaveTextContent('Low confidence 62%');
    expect(screen.getByRole('row', { name: /^PAN number/ })).toHaveTextContent('Confidence 98%');
    expect(screen.getByText('PAN position 7: read O as 0')).toBeInTheDocument();
    expect(screen.getAllByText('Not confirmed yet')).toHaveLength(4);
  });

  it('links the original photo and shows what is wrong with it', () => {
    const withQuality: PanResult = {
      ...RESULT,
      quality: [{ code: 'blurry', message: 'The picture is blurred: take it again.' }],
    };
    render(
      <PanPanel
        customerName="Asha"
        result={withQuality}
        imageUrl="/api/pan/images/i1"
        originalUrl="/api/pan/images/i1/original"
        confirmed={null}
      />,
    );
    expect(screen.getByRole('link', { name: 'Open the original photo' })).toHaveAttribute(
      'href',
      '/api/pan/images/i1/original',
    );
    expect(screen.getByTestId('pan-quality')).toHaveTextContent('The picture is blurred: take it again.');
  });

  it('puts the confirmed values beside the OCR values and marks differences in words', () => {
    const confirmed = { pan: 'ABCPE1234F', name: 'Asha Rao', father_name: 'RAMESH K RAO', dob: '1990-01-31' };
    render(<PanPanel customerName="Asha" result={RESULT} imageUrl={null} confirmed={confirmed} />);
    const father = screen.getByRole('row', { name: /Father's name/ });
    expect(father).toHaveTextContent('RAMESH K RAO');
    expect(father).toHaveTextContent('Differs from card');
    expect(father).toHaveClass('pan-table__row--diff');
    // case and spacing alone are not a difference
    expect(screen.getByRole('row', { name: /^Name/ })).not.toHaveTextContent('Differs from card');
  });

  it("shows the mother's name when the card carries one", () => {
    render(
      <PanPanel
        customerName="Asha"
        result={{ ...RESULT, father_name: null, mother_name: 'SITA RAO' }}
        imageUrl={null}
        confirmed={null}
      />,
    );
    expect(screen.getByText("Mother's name (on the card)")).toBeInTheDocument();
    expect(screen.getByText('SITA RAO')).toBeInTheDocument();
  });

  it('says so when the image can no longer be loaded, and shows a new one again', () => {
    const { rerender } = render(
      <PanPanel customerName="Asha" result={RESULT} imageUrl="/api/pan/images/i1" confirmed={null} />,
    );
    fireEvent.error(screen.getByTestId('pan-image'));
    expect(screen.queryByTestId('pan-image')).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Ask Asha to upload it again');
    rerender(<PanPanel customerName="Asha" result={RESULT} imageUrl="/api/pan/images/i2" confirmed={null} />);
    expect(screen.getByTestId('pan-image')).toHaveAttribute('src', '/api/pan/images/i2');
  });

  it('asks for an upload when there is no result yet', () => {
    render(<PanPanel customerName="Asha" result={null} imageUrl={null} confirmed={null} />);
    expect(screen.getByText(/Asha has not uploaded a PAN card yet/)).toBeInTheDocument();
  });

  it('compares values ignoring case and extra spaces', () => {
    expect(differs('ASHA  RAO', 'asha rao')).toBe(false);
    expect(differs('ASHA RAO', null)).toBe(true);
  });
});
