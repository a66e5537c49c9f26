import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { AtendeError } from '../../domain/atende-error.ts';
import { type SlaReport, type SlaReportRow, slaReport, type TargetAttainment } from '../../domain/sla/sla-report.ts';
import { type CliContext, jsonOption, printJson } from '../cli-context.ts';
import { withLocalStack } from '../local-stack-session.ts';
import { terminalLine } from '../terminal-text.ts';

const JSON_FIELDS = `
JSON (--json): {since, queue, generatedAt, rows: [row…]}; since and generatedAt are UTC ISO
times (since null without --since), queue null without --queue. Each row:
  queue, priority (null: the queue's total over every priority), tickets,
  firstResponse and resolution: {met, breached, openWithin, attainmentPercent}
    (attainmentPercent = met / (met + breached) x 100, one decimal; null when none is decided),
  breaches (breach timers that acted + targets missed without one),
  escalations: [{level, count}] (escalation timers that acted, by level),
  firstResponseBusinessHours: {median, p90} (nearest rank; null when no ticket was answered).`;

/** `atende sla report`: how the SLA was kept on the running local stack's tickets, per queue and priority. */
export function registerSlaReportCommand(sla: Command, context: CliContext): void {
  sla
    .command('report')
    .description('SLA attainment, breaches, escalations and first-response times per queue and priority (local stack)')
    .option('--since <iso-time>', 'only tickets created at or after this time, ISO 8601 (without an offset: UTC)')
    .option('--queue <queue>', 'only this queue')
    .addOption(jsonOption())
    .addHelpText('after', JSON_FIELDS)
    .action(async (options: { since?: string; queue?: string; json?: boolean }) => {
      const since = options.since === undefined ? null : parseSince(options.since);
      const report = await withLocalStack(async ({ store, sla: clock, clock: now }) => {
        // Checked before any read: an unknown queue is a usage error naming the valid ones.
        const queues = options.queue === undefined ? clock.policy.queues.map((queue) => queue.name) : [options.queue];
        if (options.queue !== undefined) clock.calendarFor(options.queue);
        const tickets = (await Promise.all(queues.map((queue) => store.ticketsOfQueue(queue)))).flat();
        return slaReport(tickets, clock, { since, queue: options.queue ?? null, now: now.now() });
      });
      if (options.json) printJson(context.io, slaReportJson(report));
      else context.io.out(renderSlaReport(report));
    });
}

function parseSince(text: string): number {
  const since = DateTime.fromISO(text, { zone: 'utc' });
  if (!since.isValid)
    throw new AtendeError(
      'sla.invalidTime',
      `--since "${text}" is not an ISO 8601 time such as 2026-11-01 or 2026-11-01T09:00:00-05:00`,
    );
  return since.toMillis();
}

const utc = (instant: number | null): string | null => (instant === null ? null : new Date(instant).toISOString());

/** The `--json` shape (its fields are listed in the command's help). */
export const slaReportJson = (report: SlaReport) => ({
  since: utc(report.since),
  queue: report.queue,
  generatedAt: utc(report.now),
  rows: report.rows,
});

const percent = (value: number | null): string => (value === null ? '-' : `${value.toFixed(1)}%`);
const hours = (value: number | null): string => (value === null ? '-' : `${value.toFixed(2)}h`);

/** "80.0% (4/5, 2 open)": attainment, met of decided, and how many are not decided yet; "-" for no tickets. */
function attainmentCell(target: TargetAttainment): string {
  const decided = target.met + target.breached;
  if (decided + target.openWithin === 0) return '-';
  const open = target.openWithin > 0 ? `, ${target.openWithin} open` : '';
  return `${percent(target.attainmentPercent)} (${target.met}/${decided}${open})`;
}

const HEADER = [
  'QUEUE',
  'PRIORITY',
  'TICKETS',
  'FIRST RESPONSE',
  'RESOLUTION',
  'BREACHES',
  'ESCALATIONS',
  'FR MEDIAN',
  'FR P90',
];

const rowCells = (row: SlaReportRow): string[] => [
  row.queue,
  row.priority ?? '(all)',
  String(row.tickets),
  attainmentCell(row.firstResponse),
  attainmentCell(row.resolution),
  String(row.breaches),
  row.escalations.length === 0 ? '-' : row.escalations.map(({ level, count }) => `L${level}:${count}`).join(' '),
  hours(row.firstResponseBusinessHours.median),
  hours(row.firstResponseBusinessHours.p90),
];

/** The report as an aligned table, one terminal-safe line per row (queue and priority names come from the policy file). */
export function renderSlaReport(report: SlaReport): string {
  const scope = [
    report.queue === null ? 'every queue' : `queue ${report.queue}`,
    report.since === null ? 'every ticket' : `tickets created since ${utc(report.since)}`,
    `as of ${utc(report.now)}`,
  ].join(' · ');
  const rows = [HEADER, ...report.rows.map(rowCells)].map((cells) =>
    cells.map((cell) => Array.from(terminalLine(cell))),
  );
  const widths = HEADER.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  const line = (cells: readonly string[][]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell.join('') : cell.join('') + ' '.repeat(widths[column]! - cell.length),
      )
      .join('  ')
      .trimEnd();
  return [`SLA report: ${terminalLine(scope)}`, ...rows.map(line)].join('\n');
}
