import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { isClockInstant, LocalStackClock } from '../../adapters/clock/local-stack-clock.ts';
import { ManualClock } from '../../adapters/clock/manual-clock.ts';
import { localStackConfig } from '../../adapters/local/local-stack-config.ts';
import type { TimerFiringOutcome } from '../../application/fire-timer.ts';
import type { ScheduledTimer } from '../../application/ports/timer-scheduler.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { parseDuration } from '../../domain/policy/policy-grammar.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../domain/policy/policy-schema.ts';
import { type CliContext, jsonOption, printJson } from '../cli-context.ts';
import { withLocalStack } from '../local-stack-session.ts';
import { terminalLine } from '../terminal-text.ts';

/** `atende clock now|advance D` and `atende timers`: the local stack's time and what it will fire. */
export function registerTimerCommands(program: Command, context: CliContext): void {
  const clock = program.command('clock').description("the local stack's clock, which timers fire by");

  clock
    .command('now')
    .description("the stack's time (the machine's, plus every advance)")
    .addOption(jsonOption())
    .action((options: { json?: boolean }) => {
      const stackClock = new LocalStackClock(localStackConfig().dataDirectory);
      const now = stackClock.now();
      const aheadMs = stackClock.aheadMs();
      if (options.json) printJson(context.io, { now: new Date(now).toISOString(), aheadMs });
      else
        context.io.out(
          `${new Date(now).toISOString()}${aheadMs > 0 ? ` (${formatAhead(aheadMs)} ahead of this machine)` : ''}`,
        );
    });

  clock
    .command('advance')
    .description('move the clock forward and fire, in time order, every timer due by then, before returning')
    .argument('<duration>', 'how far: "45m", "30h", "2d", "1h30m"')
    .addOption(jsonOption())
    .action(async (durationText: string, options: { json?: boolean }) => {
      const parsed = parseDuration(durationText, { allowDays: true });
      if (!parsed.ok || parsed.value <= 0)
        throw new AtendeError(
          'clock.invalidDuration',
          `"${durationText}" is not a duration to advance by (${parsed.ok ? 'it must be more than zero' : parsed.reason})`,
        );
      // Checked before any timer fires: a clock that cannot be moved there must not have fired them.
      if (!isClockInstant(new LocalStackClock(localStackConfig().dataDirectory).now() + parsed.value * 60_000))
        throw new AtendeError(
          'clock.invalidDuration',
          `"${durationText}" takes the clock past the last date it can hold`,
        );
      const fired = await advanceClock(parsed.value * 60_000);
      if (options.json) printJson(context.io, fired);
      else context.io.out(describeAdvance(fired));
    });

  program
    .command('timers')
    .description('pending timers: one per ticket, its next (ticket, kind, level, due in UTC and the calendar’s zone)')
    .option('--ticket <number>', 'only this ticket’s')
    .addOption(jsonOption())
    .action(async (options: { ticket?: string; json?: boolean }) => {
      const ticket = options.ticket === undefined ? null : ticketNumber(options.ticket);
      const pending = await withLocalStack(({ timers }) => timers.pending());
      const shown = pending.filter((timer) => ticket === null || timer.firing.ticketNumber === ticket);
      if (options.json) printJson(context.io, shown.map(timerJson));
      else context.io.out(shown.length === 0 ? 'No timers pending.' : shown.map(renderTimer).join('\n'));
    });
}

/** `atende tickets resolve N [--note …]`, `tickets status N STATUS`, `tickets reopen N`. */
export function registerTicketStatusCommands(tickets: Command, context: CliContext): void {
  const run = async (numberText: string, status: TicketStatus, note: string | null, json: boolean | undefined) => {
    const number = ticketNumber(numberText);
    const { setTicketStatus } = await import('../../application/set-ticket-status.ts');
    const outcome = await withLocalStack(async (dependencies) =>
      setTicketStatus(
        dependencies,
        { key: `cli-status-${randomUUID()}`, now: dependencies.clock.now(), rawKey: null },
        { ticketNumber: number, status, note },
      ),
    );
    const changed = outcome.outcome === 'changed';
    const sent = changed ? outcome.sent : [];
    if (json) printJson(context.io, { ticket: number, status, changed, sent });
    else
      context.io.out(
        changed
          ? `ticket #${number} is now ${status}; sent: ${sent.join(', ') || 'nothing'}`
          : `ticket #${number} was already ${status}; nothing changed`,
      );
  };

  tickets
    .command('resolve')
    .description('resolve a ticket: the requester gets the summary (and the survey, where the policy has one)')
    .argument('<number>', 'ticket number')
    .option('--note <text>', 'a note for the customer, quoted in the summary')
    .addOption(jsonOption())
    .action((numberText: string, options: { note?: string; json?: boolean }) =>
      run(numberText, 'resolved', options.note ?? null, options.json),
    );

  tickets
    .command('status')
    .description(`set a ticket's status: ${TICKET_STATUSES.filter((status) => status !== 'new').join(', ')}`)
    .argument('<number>', 'ticket number')
    .argument('<status>', 'the new status')
    .addOption(jsonOption())
    .action((numberText: string, statusText: string, options: { json?: boolean }) => {
      const status = TICKET_STATUSES.find((candidate) => candidate === statusText.toLowerCase());
      if (status === undefined)
        throw new AtendeError(
          'cli.invalidArgument',
          `"${statusText}" is not a status; valid: ${TICKET_STATUSES.filter((s) => s !== 'new').join(', ')}`,
        );
      return run(numberText, status, null, options.json);
    });

  tickets
    .command('reopen')
    .description('reopen a resolved or closed ticket (status open: the SLA clock runs again)')
    .argument('<number>', 'ticket number')
    .addOption(jsonOption())
    .action((numberText: string, options: { json?: boolean }) => run(numberText, 'open', null, options.json));
}

/**
 * Moves the stack's clock forward by `milliseconds`, firing every timer due on the way, each at its
 * own instant (so its mail is dated then and the next timer it plans fires in turn), and only
 * then stores the new time.
 */
async function advanceClock(milliseconds: number): Promise<FiredTimer[]> {
  const config = localStackConfig();
  const stackClock = new LocalStackClock(config.dataDirectory);
  const start = stackClock.now();
  const until = start + milliseconds;
  const clock = new ManualClock(start);
  const fired: FiredTimer[] = [];
  const [{ localDependencies }, { fireTimer }] = await Promise.all([
    import('../../adapters/local/local-dependencies.ts'),
    import('../../application/fire-timer.ts'),
  ]);
  await withLocalStack(
    async (dependencies) => {
      await dependencies.timers.fireDue(until, async (timer) => {
        clock.set(Math.max(clock.now(), timer.at));
        fired.push({ ...timerJson(timer), outcome: await fireTimer(dependencies, timer.firing) });
      });
    },
    () => localDependencies(config, clock),
  );
  stackClock.moveTo(until);
  return fired;
}

type FiredTimer = ReturnType<typeof timerJson> & { readonly outcome: TimerFiringOutcome };

const ticketNumber = (text: string): number => {
  const number = Number(text);
  if (!Number.isInteger(number) || number <= 0)
    throw new AtendeError('cli.invalidArgument', `"${text}" is not a ticket number`);
  return number;
};

const timerJson = (timer: ScheduledTimer) => ({
  ticket: timer.firing.ticketNumber,
  kind: timer.firing.kind,
  target: timer.firing.target,
  level: timer.firing.level,
  due: new Date(timer.at).toISOString(),
  dueLocal: localTime(timer.at, timer.timeZone),
  timeZone: timer.timeZone,
  schedule: timer.name,
});

const localTime = (at: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(at);

function renderTimer(timer: ScheduledTimer): string {
  const json = timerJson(timer);
  const what = [json.target, json.kind, json.level === null ? null : `level ${json.level}`].filter(Boolean).join(' ');
  return terminalLine(`#${json.ticket}  ${what}  due ${json.due}  (${json.dueLocal} ${json.timeZone})`);
}

function describeAdvance(fired: readonly FiredTimer[]): string {
  if (fired.length === 0) return 'No timer was due.';
  return fired
    .map((timer) => {
      const what = [timer.target, timer.kind, timer.level === null ? null : `level ${timer.level}`]
        .filter(Boolean)
        .join(' ');
      const outcome =
        timer.outcome.outcome === 'acted' ? `acted: ${timer.outcome.acted.join(', ')}` : timer.outcome.outcome;
      return terminalLine(`#${timer.ticket}  ${what}  due ${timer.due}  → ${outcome}`);
    })
    .join('\n');
}

const formatAhead = (milliseconds: number): string => {
  const minutes = Math.round(milliseconds / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  return [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes % 60 ? `${minutes % 60}m` : ''].join('') || '0m';
};
