import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTimers, TIMERS_FILE } from '../../../lib/adapters/local/local-timers.ts';
import type { ScheduledTimer } from '../../../lib/application/ports/timer-scheduler.ts';
import { at } from '../../support/policy-fixtures.ts';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'atende-timers-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

const timer = (name: string, iso: string, level: number | null = null): ScheduledTimer => ({
  name,
  at: at(iso),
  timeZone: 'America/Toronto',
  firing: {
    schedule: name,
    ticketNumber: 1000,
    kind: level === null ? 'breach' : 'escalation',
    target: 'firstResponse',
    level,
    dueAt: new Date(at(iso)).toISOString(),
  },
});

describe('the local stack’s timers', () => {
  it('keeps its timers across a restart', async () => {
    await new LocalTimers(directory).put(timer('atende-1000-breach', '2026-11-23T14:00:00-05:00'));

    const restarted = new LocalTimers(directory);

    expect((await restarted.pending()).map((held) => held.name)).toEqual(['atende-1000-breach']);
  });

  it('moves a timer put again under its name, and forgets a removed one (removing twice is no error)', async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer('atende-1000-breach', '2026-11-23T14:00:00-05:00'));
    await timers.put(timer('atende-1000-breach', '2026-11-23T16:00:00-05:00'));
    await timers.put(timer('atende-1001-breach', '2026-11-23T15:00:00-05:00'));
    await timers.remove('atende-1001-breach');
    await timers.remove('atende-1001-breach');

    expect(await timers.pending()).toEqual([timer('atende-1000-breach', '2026-11-23T16:00:00-05:00')]);
  });

  it('fires what is due at the stack’s time, earliest first, including what a firing planned that is due too', async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer('atende-1000-escalation.2', '2026-11-23T16:00:00-05:00', 2));
    await timers.put(timer('atende-1000-breach', '2026-11-23T14:00:00-05:00'));
    await timers.put(timer('atende-1001-breach', '2026-11-25T14:00:00-05:00'));
    const fired: string[] = [];

    await timers.fireDue(at('2026-11-23T20:00:00-05:00'), async (due) => {
      fired.push(due.name);
      if (due.name === 'atende-1000-escalation.2')
        await timers.put(timer('atende-1000-escalation.3', '2026-11-23T19:00:00-05:00', 3));
    });

    expect(fired).toEqual(['atende-1000-breach', 'atende-1000-escalation.2', 'atende-1000-escalation.3']);
    expect((await timers.pending()).map((held) => held.name)).toEqual(['atende-1001-breach']);
  });

  it('keeps a timer whose firing failed, to fire it again (at least once, as Scheduler)', async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer('atende-1000-breach', '2026-11-23T14:00:00-05:00'));

    await expect(
      timers.fireDue(at('2026-11-23T15:00:00-05:00'), async () => {
        throw new Error('store unavailable');
      }),
    ).rejects.toThrow('store unavailable');

    expect((await timers.pending()).map((held) => held.name)).toEqual(['atende-1000-breach']);
  });

  it('keeps a timer its own firing moved to a later time', async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer('atende-1000-breach', '2026-11-23T14:00:00-05:00'));

    await timers.fireDue(at('2026-11-23T15:00:00-05:00'), () =>
      timers.put(timer('atende-1000-breach', '2026-11-24T14:00:00-05:00')),
    );

    expect((await timers.pending())[0]!.at).toBe(at('2026-11-24T14:00:00-05:00'));
  });

  it('fires a timer its own firing puts back at the same instant once per round, never in a loop', async () => {
    const timers = new LocalTimers(directory);
    const breach = timer('atende-1000-breach', '2026-11-23T14:00:00-05:00');
    await timers.put(breach);
    let firings = 0;

    await timers.fireDue(at('2026-11-23T15:00:00-05:00'), async () => {
      firings += 1;
      await timers.put(breach);
    });

    expect(firings).toBe(1);
  });

  it('keeps every timer of puts made at once, and fails only the put it cannot store', async () => {
    const timers = new LocalTimers(directory);
    const names = Array.from({ length: 40 }, (_, index) => `atende-${1000 + index}-breach`);

    const results = await Promise.allSettled([
      ...names.map((name) => timers.put(timer(name, '2026-11-23T14:00:00-05:00'))),
      timers.put({ ...timer('atende-2000-breach', '2026-11-23T14:00:00-05:00'), at: 1.5 }),
    ]);

    expect(results.slice(0, -1).every((result) => result.status === 'fulfilled')).toBe(true);
    expect(results.at(-1)?.status).toBe('rejected');
    expect((await timers.pending()).map((held) => held.name).sort()).toEqual(names);
    expect((await new LocalTimers(directory).pending()).map((held) => held.name).sort()).toEqual(names);
  });

  it('sees what another process (a CLI command) wrote to the file since it last read it', async () => {
    const stack = new LocalTimers(directory);
    const command = new LocalTimers(directory);
    await stack.put(timer('atende-1000-breach', '2026-11-23T14:00:00-05:00'));
    expect(await stack.pending()).toHaveLength(1);

    await command.remove('atende-1000-breach');
    await command.put(timer('atende-1001-breach', '2026-11-23T15:00:00-05:00'));
    await stack.put(timer('atende-1002-breach', '2026-11-23T16:00:00-05:00'));

    expect((await stack.pending()).map((held) => held.name)).toEqual(['atende-1001-breach', 'atende-1002-breach']);
  });

  it('says clearly when its file is not a timers file', async () => {
    await writeFile(join(directory, TIMERS_FILE), '{"timers": [', 'utf8');

    await expect(new LocalTimers(directory).pending()).rejects.toMatchObject({ code: 'timer.fileInvalid' });
  });

  it('refuses a name Scheduler would refuse', async () => {
    await expect(
      new LocalTimers(directory).put(timer('ticket 1000 breach', '2026-11-23T14:00:00-05:00')),
    ).rejects.toMatchObject({ code: 'timer.invalidName' });
  });
});
