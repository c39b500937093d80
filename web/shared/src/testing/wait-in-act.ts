import { act } from '@testing-library/react';

/** Let real timers run for `ms` (0: pending promises and zero timers) inside `act` (unit tests only). */
export async function waitInAct(ms = 0): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}
