import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOCK_FILE, LocalStackClock } from '../../../lib/adapters/clock/local-stack-clock.ts';

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
