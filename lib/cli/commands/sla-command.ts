import { type Command, Option } from 'commander';
import { DateTime } from 'luxon';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../../adapters/policy-file.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { CHANNELS, type Channel } from '../../domain/policy/policy-schema.ts';
import { SlaClock, type SlaDeadline, type SlaSchedule } from '../../domain/sla/sla-schedule.ts';
import { type CliContext, jsonOption, printJson } from '../cli-context.ts';
import { registerSlaReportCommand } from './sla-report-command.ts';

interface SlaOptions {
  queue?: string;
  priority?: string;
  plan?: string;
  received?: string;
  channel: Channel;
  region?: string;
  policy: string;
  json?: boolean;
}

/**
 * `atende sla`: first-response and resolution due times for a ticket that would arrive at a
 * given time; `atende sla report` (sla-report-command.ts) beside it.
 *
 * Commander checks a command's required options before it runs any subcommand, so `sla report`
 * would fail for want of `--received`: the options `sla` needs are checked by its own action,
 * with commander's own message and exit code. Positional options (here and on the program) let
 * `sla report --queue Q` give `--queue` to the report rather than to `sla`.
 */
const REQUIRED_FLAGS = {
  queue: '--queue <queue>',
  priority: '--priority <priority>',
  received: '--received <iso-time>',
};

export function registerSlaCommand(program: Command, context: CliContext): void {
  const sla = program
    .command('sla')
    .description('compute first-response and resolution due times (with warnings and escalations) for a ticket')
    .enablePositionalOptions()
    .option(REQUIRED_FLAGS.queue, 'queue name, e.g. servicedesk (required)')
    .option(REQUIRED_FLAGS.priority, 'priority name, e.g. high (required)')
    .option('--plan <plan>', "customer's plan (default: the policy's default plan)")
    .option(
      REQUIRED_FLAGS.received,
      "when the ticket arrived, ISO 8601 (without an offset: the calendar's local time) (required)",
    )
    .addOption(
      // Every channel the policy language has, so each policy's targets can be asked (360dialog's plans are for chat).
      new Option('--channel <channel>', 'how the ticket arrived').choices(CHANNELS).default('email'),
    )
    .option('--region <region>', "customer's region, whose calendar may apply instead of the queue's")
    .option('--policy <file>', 'policy file', DEFAULT_POLICY_PATH)
    .addOption(jsonOption())
    .action(async (options: SlaOptions, command: Command) => {
      const given = (name: 'queue' | 'priority' | 'received'): string =>
        options[name] ??
        command.error(`error: required option '${REQUIRED_FLAGS[name]}' not specified`, {
          code: 'commander.missingMandatoryOptionValue',
        });
      const queue = given('queue');
      const priority = given('priority');
      const receivedText = given('received');
      const policy = await loadPolicyFile(options.policy);
      const clock = new SlaClock(policy);
      const calendar = clock.calendarFor(queue, options.region);
      const received = DateTime.fromISO(receivedText, { zone: calendar.timeZone });
      if (!received.isValid) {
        throw new AtendeError(
          'sla.invalidTime',
          `--received "${receivedText}" is not an ISO 8601 time such as 2026-11-20T17:30:00-05:00`,
        );
      }
      const schedule = clock.schedule({
        queue,
        priority,
        plan: options.plan,
        channel: options.channel,
        region: options.region,
        receivedAt: received.toMillis(),
      });
      if (options.json) printJson(context.io, slaJson(schedule));
      else context.io.out(renderSchedule(schedule));
    });
  registerSlaReportCommand(sla, context);
}

const utc = (instant: number | null): string | null => (instant === null ? null : new Date(instant).toISOString());

/** The `--json` shape: UTC ISO strings at the top, the same instants in the calendar's zone under `local`. */
export function slaJson(schedule: SlaSchedule) {
  const zone = schedule.calendar.timeZone;
  const local = (instant: number | null) =>
    instant === null ? null : DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true });
  const escalations = [schedule.firstResponse, schedule.resolution].flatMap((deadline) =>
    deadline
      ? deadline.escalations.map((escalation) => ({
          target: deadline.kind,
          level: escalation.level,
          at: utc(escalation.at),
          contacts: escalation.contacts,
        }))
      : [],
  );
  return {
    queue: schedule.queue,
    priority: schedule.priority,
    plan: schedule.plan,
    channel: schedule.channel,
    region: schedule.region,
    calendar: schedule.calendar.name,
    timeZone: zone,
    receivedAt: utc(schedule.receivedAt),
    clockStartsAt: utc(schedule.clockStartsAt),
    firstResponseDue: utc(schedule.firstResponse?.due ?? null),
    firstResponseWarning: utc(schedule.firstResponse?.warningAt ?? null),
    firstResponseTarget: schedule.firstResponse?.target ?? null,
    resolutionDue: utc(schedule.resolution?.due ?? null),
    resolutionWarning: utc(schedule.resolution?.warningAt ?? null),
    resolutionTarget: schedule.resolution?.target ?? null,
    escalations,
    local: {
      receivedAt: local(schedule.receivedAt),
      clockStartsAt: local(schedule.clockStartsAt),
      firstResponseDue: local(schedule.firstResponse?.due ?? null),
      firstResponseWarning: local(schedule.firstResponse?.warningAt ?? null),
      resolutionDue: local(schedule.resolution?.due ?? null),
      resolutionWarning: local(schedule.resolution?.warningAt ?? null),
    },
  };
}

function renderSchedule(schedule: SlaSchedule): string {
  const zone = schedule.calendar.timeZone;
  const when = (instant: number | null) =>
    instant === null
      ? 'paused'
      : `${DateTime.fromMillis(instant, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ')}  (${utc(instant)})`;
  const row = (label: string, instant: number | null) => `  ${label.padEnd(22)}${when(instant)}`;
  const deadline = (title: string, value: SlaDeadline | null) => {
    if (!value) return [`${title}: no target applies`];
    const lines = [
      `${title}: ${value.target}${value.applicable.length > 1 ? `  (stricter of: ${value.applicable.join(' | ')})` : ''}`,
    ];
    lines.push(row('due', value.due));
    if (value.warningAt !== null || value.due !== null) lines.push(row('warning', value.warningAt));
    for (const escalation of value.escalations) {
      lines.push(
        row(`escalation level ${escalation.level}`, escalation.at) +
          `  → ${escalation.contacts.map((c) => `${c.role} <${c.address}>`).join(', ')}`,
      );
    }
    return lines;
  };
  return [
    `Queue ${schedule.queue} · priority ${schedule.priority} · plan ${schedule.plan ?? '(none)'} · channel ${schedule.channel}${schedule.region ? ` · region ${schedule.region}` : ''}`,
    `Calendar ${schedule.calendar.name} (${zone})`,
    row('received', schedule.receivedAt),
    row('clock starts', schedule.clockStartsAt),
    ...deadline('First response', schedule.firstResponse),
    ...deadline('Resolution', schedule.resolution),
  ].join('\n');
}
