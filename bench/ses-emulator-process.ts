/**
 * The SES emulator alone in a Node process of its own (`node --import tsx
 * bench/ses-emulator-process.ts`), so that its CPU can be read apart from the stack's: it
 * prints its endpoint on a line of its own and stops on SIGTERM.
 */
import { startSesEmulator } from '../lib/adapters/mail/ses-emulator.ts';

const emulator = await startSesEmulator();
process.stdout.write(`${emulator.endpoint}\n`);
process.once('SIGTERM', () => {
  void emulator.stop().finally(() => process.exit(0));
});
