import { afterAll, beforeAll } from 'vitest';
import { type SesEmulator, startSesEmulator } from '../../lib/adapters/mail/ses-emulator.ts';

/**
 * The SES emulator for the calling test file, started in this worker process before its tests
 * and stopped after them. Its store is per process, and vitest runs each file in its own fork,
 * so files never see each other's mail.
 */
export const useSesEmulator = (): (() => SesEmulator) => {
  let emulator: SesEmulator | undefined;
  beforeAll(async () => {
    emulator = await startSesEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return () => {
    if (emulator === undefined)
      throw new Error('the SES emulator is not running: call useSesEmulator() at the top of the test file');
    return emulator;
  };
};

/** Empties the emulator's store between tests. */
export const clearEmulatorStore = async (endpoint: string): Promise<void> => {
  const answer = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  if (!answer.ok) throw new Error(`the SES emulator refused to clear its store: ${answer.status}`);
};
