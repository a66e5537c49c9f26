import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOCK_FILE, LocalStackClock } from '../../../lib/adapters/clock/local-stack-clock.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { runCli } from '../../support/run-cli.ts';

const HOUR = 3_600_000;
let directory: string;
let machine: number;
const machineNow = () => machine;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'atende-clock-'));
  machine = Date.parse('2026-11-23T15:00:00.000Z');
});
afterEach(() => rm(directory, { recursive: true, force: true }));

describe("the local stack's clock", () => {
  it("runs with the machine's time until it is advanced, and keeps running after", () => {
    const clock = new LocalStackClock(directory, machineNow);
    expect(clock.now()).toBe(machine);

    clock.moveTo(machine + 2 * HOUR);
    machine += 60_000;

    expect(clock.now()).toBe(Date.parse('2026-11-23T17:01:00.000Z'));
    expect(clock.aheadMs()).toBe(2 * HOUR);
  });

  it('only moves forward: a time already passed stays passed', () => {
    const clock = new LocalStackClock(directory, machineNow);
    clock.moveTo(machine + 5 * HOUR);

    clock.moveTo(machine + HOUR);
    clock.moveTo(machine - HOUR);

    expect(clock.now()).toBe(machine + 5 * HOUR);
  });

  it('is one clock for every instance on the same data directory (the stack and each command)', () => {
    const stack = new LocalStackClock(directory, machineNow);
    const command = new LocalStackClock(directory, machineNow);
    expect(stack.now()).toBe(machine);

    command.moveTo(machine + 3 * HOUR);
    expect(stack.now()).toBe(machine + 3 * HOUR);

    stack.moveTo(machine + 4 * HOUR);
    expect(command.now()).toBe(machine + 4 * HOUR);
    expect(new LocalStackClock(directory, machineNow).now()).toBe(machine + 4 * HOUR);
  });

  it('refuses a clock file that is not one, rather than guess the time', async () => {
    for (const text of ['{"aheadMs": ', '{"aheadMs": -5}', '{"aheadMs": 1.5}', '{"behindMs": 0}']) {
      await writeFile(join(directory, CLOCK_FILE), text, 'utf8');
      const clock = new LocalStackClock(directory, machineNow);
      expect(() => clock.now(), text).toThrow(expect.objectContaining({ code: 'clock.fileInvalid' }));
      expect(() => clock.moveTo(machine + HOUR), text).toThrow(expect.objectContaining({ code: 'clock.fileInvalid' }));
    }
  });
});

describe('an absurd advance of the local clock', () => {
  it('is refused past the last date the clock can hold, and the clock file stays readable', () => {
    const clock = new LocalStackClock(directory, machineNow);
    clock.moveTo(machine + HOUR);

    let caught: unknown;
    try {
      clock.moveTo(machine + 1e20 * 86_400_000);
    } catch (error) {
      caught = error;
    }

    expect(isAtendeError(caught, 'clock.invalidDuration')).toBe(true);
    expect(new LocalStackClock(directory, machineNow).now()).toBe(machine + HOUR);
  });

  it('is refused by `clock advance` before any timer fires, with exit code 2', async () => {
    const previous = process.env['ATENDE_DATA_DIR'];
    process.env['ATENDE_DATA_DIR'] = directory;
    try {
      const run = await runCli('clock', 'advance', '99999999999999999999d');

      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('99999999999999999999d');
      expect((await runCli('clock', 'now')).exitCode).toBe(0);
    } finally {
      if (previous === undefined) delete process.env['ATENDE_DATA_DIR'];
      else process.env['ATENDE_DATA_DIR'] = previous;
    }
  });
});
