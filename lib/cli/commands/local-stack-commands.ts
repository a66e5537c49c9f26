import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { localStackConfig } from '../../adapters/local/local-stack-config.ts';
import type { OutboxRecord } from '../../adapters/mail/outbox.ts';
import type { ingestEmail } from '../../application/ingest-email.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import type { InboundVerdicts } from '../../domain/routing/inbound-verdicts.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import { type CliContext, jsonOption, printJson } from '../cli-context.ts';
import { withLocalStack } from '../local-stack-session.ts';
import { terminalLine, terminalText } from '../terminal-text.ts';
import { attachmentLines, messageJson } from './attachment-commands.ts';
import { registerTicketStatusCommands } from './timer-commands.ts';

/**
 * `atende start`, `tickets list|show`, `outbox` and `ingest`: the local stack and what it holds.
 * Human-readable output passes every value through terminal-text (it came from mail: a subject
 * may carry ESC or a bidi override); `--json` output is printed as JSON and nothing else.
 */
export function registerLocalStackCommands(program: Command, context: CliContext): void {
  program
    .command('start')
    .description('start the local stack (DynamoDB Local, SES emulator, SMTP listener, HTTP /health) until Ctrl-C')
    .action(async () => {
      const config = localStackConfig();
      // The listener logs envelope addresses a client chose.
      const log = (line: string) => context.io.out(terminalText(line));
      const { startLocalStack } = await import('../../adapters/local/local-stack.ts');
      const stack = await startLocalStack(config, log);
      log(
        [
          'atende local stack is running:',
          `  SMTP      smtp://127.0.0.1:${config.smtpPort}   (send customer mail here)`,
          `  HTTP      http://127.0.0.1:${config.httpPort}/health`,
          `  SES       ${config.sesEndpoint}   (the emulator's page lists sent mail)`,
          `  DynamoDB  ${config.dynamodbEndpoint}   (table ${config.tableName})`,
          `  data      ${config.dataDirectory}`,
          `  policy    ${config.policyPath}`,
          'Try: npx atende tickets list · npx atende outbox · Ctrl-C stops everything.',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: stopping the local stack…`);
          resolve();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      await stack.stop();
      log('stopped.');
    });

  const tickets = program.command('tickets').description('tickets in the running local stack');

  tickets
    .command('list')
    .description('one line per ticket, newest first')
    .addOption(jsonOption())
    .action(async (options: { json?: boolean }) => {
      const all = await withLocalStack(async ({ store, policy }) => {
        const lists = await Promise.all(policy.queues.map((queue) => store.ticketsOfQueue(queue.name)));
        return lists.flat().sort((a, b) => b.number - a.number);
      });
      if (options.json) printJson(context.io, all.map(ticketSummary));
      else context.io.out(all.length === 0 ? 'No tickets yet.' : renderTicketTable(all));
    });

  tickets
    .command('show')
    .description('a ticket and all its messages (stored text, secrets masked)')
    .argument('<number>', 'ticket number')
    .addOption(jsonOption())
    .action(async (numberText: string, options: { json?: boolean }) => {
      const number = Number(numberText);
      if (!Number.isInteger(number) || number <= 0)
        throw new AtendeError('cli.invalidArgument', `"${numberText}" is not a ticket number`);
      const found = await withLocalStack(async ({ store }) => {
        const ticket = await store.getTicket(number);
        return ticket ? { ticket, messages: await store.listMessages(number) } : null;
      });
      if (!found) throw new AtendeError('store.ticketNotFound', `ticket ${number} does not exist`);
      if (options.json) printJson(context.io, { ...found.ticket, messages: found.messages.map(messageJson) });
      else context.io.out(renderTicket(found.ticket, found.messages));
    });

  registerTicketStatusCommands(tickets, context);

  program
    .command('outbox')
    .description('every mail the local stack sent, oldest first')
    .addOption(jsonOption())
    .action(async (options: { json?: boolean }) => {
      const { readOutbox } = await import('../../adapters/mail/outbox.ts');
      const records = await readOutbox(localStackConfig().dataDirectory);
      if (options.json) printJson(context.io, records.map(outboxJson));
      else context.io.out(records.length === 0 ? 'No mail sent yet.' : records.map(renderOutboxRecord).join('\n\n'));
    });

  program
    .command('ingest')
    .description('feed a raw mail (.eml) through the same path as SES, into the running local stack')
    .argument('<file>', 'the raw message')
    .option('--to <address...>', 'envelope recipients (default: the support addresses in To/Cc)')
    .option(
      '--verdict <name=value...>',
      'SES verdicts: spam=FAIL, virus=FAIL, spf=…, dkim=…, dmarc=FAIL, dmarcPolicy=REJECT, dkimDomain=… (whose signature passed; with dkim=PASS, the From domain unless given)',
    )
    .addOption(jsonOption())
    .action(async (file: string, options: { to?: string[]; verdict?: string[]; json?: boolean }) => {
      const verdicts = parseVerdicts(options.verdict ?? []);
      const raw = await readFile(file).catch((error: unknown) => {
        throw new AtendeError(
          'cli.invalidArgument',
          `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      });
      const { ingestEmail } = await import('../../application/ingest-email.ts');
      const result = await withLocalStack(async (dependencies) => {
        const key = `cli-${randomUUID()}`;
        await dependencies.rawMail.put(key, raw);
        return ingestEmail(dependencies, {
          receiptKey: key,
          rawKey: key,
          recipients: (options.to ?? []).map((address) => address.toLowerCase()),
          verdicts: await withDkimDomains(verdicts, raw),
        });
      });
      if (options.json) printJson(context.io, result);
      else context.io.out(describeIngestResult(result));
    });
}

const VERDICT_NAMES = ['spam', 'virus', 'spf', 'dkim', 'dmarc', 'dmarcPolicy', 'dkimDomain'] as const;

type CliVerdicts = Partial<Record<(typeof VERDICT_NAMES)[number], string>>;

function parseVerdicts(pairs: readonly string[]): CliVerdicts {
  const verdicts: CliVerdicts = {};
  for (const pair of pairs) {
    const [name, value] = pair.split('=', 2);
    const known = VERDICT_NAMES.find((candidate) => candidate.toLowerCase() === name?.toLowerCase());
    if (!known || !value)
      throw new AtendeError(
        'cli.invalidArgument',
        `--verdict "${pair}" is not NAME=VALUE with NAME one of ${VERDICT_NAMES.join(', ')}`,
      );
    verdicts[known] = known === 'dkimDomain' ? value.toLowerCase() : value.toUpperCase();
  }
  return verdicts;
}

/**
 * SES says whose DKIM signature passed in its Authentication-Results; an operator feeding a
 * file with `dkim=PASS` speaks for SES, so the signature is the From domain's unless
 * `dkimDomain=` names another.
 */
async function withDkimDomains(verdicts: CliVerdicts, raw: Buffer): Promise<InboundVerdicts> {
  const { dkimDomain, ...rest } = verdicts;
  if (dkimDomain) return { ...rest, dkimDomains: [dkimDomain] };
  if (rest.dkim !== 'PASS') return rest;
  const { parseInboundMail } = await import('../../domain/mail/parse-inbound-mail.ts');
  const from = (await parseInboundMail(raw).catch(() => null))?.from?.address;
  return { ...rest, dkimDomains: from?.includes('@') ? [from.slice(from.lastIndexOf('@') + 1)] : [] };
}

const ticketSummary = (ticket: Ticket) => ({
  number: ticket.number,
  status: ticket.status,
  queue: ticket.queue,
  priority: ticket.priority,
  plan: ticket.plan,
  requester: ticket.requester,
  subject: ticket.subject,
  locale: ticket.locale,
  createdAt: ticket.createdAt,
  updatedAt: ticket.updatedAt,
  firstResponseDue: ticket.firstResponseDue,
  resolutionDue: ticket.resolutionDue,
  flags: ticket.flags,
});

/** Cells longer than this are cut in the table (the subject, last, never is). */
const TABLE_CELL_WIDTH = 40;

/** One line per ticket; every cell is one terminal-safe line, cut by code points (never half an emoji). */
export function renderTicketTable(tickets: readonly Ticket[]): string {
  const rows = tickets.map((ticket) =>
    [`#${ticket.number}`, ticket.status, ticket.queue, ticket.priority, ticket.requester, ticket.subject].map((cell) =>
      Array.from(terminalLine(cell)),
    ),
  );
  const header = ['NUMBER', 'STATUS', 'QUEUE', 'PRIORITY', 'REQUESTER', 'SUBJECT'].map((title) => Array.from(title));
  const widths = header.map((title, column) =>
    Math.min(TABLE_CELL_WIDTH, Math.max(title.length, ...rows.map((row) => row[column]!.length))),
  );
  const line = (cells: readonly string[][]) =>
    cells
      .map((cell, column) => {
        if (column === cells.length - 1) return cell.join('');
        const width = widths[column]!;
        const cut = cell.slice(0, width);
        return cut.join('') + ' '.repeat(width - cut.length);
      })
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** A ticket and its messages: the headers on terminal-safe lines, each message's text with its line breaks. */
export function renderTicket(ticket: Ticket, messages: readonly TicketMessage[]): string {
  const safe = terminalLine;
  const lines = [
    `Ticket #${ticket.number}: ${safe(ticket.subject)}`,
    `  status ${safe(ticket.status)} · queue ${safe(ticket.queue)} · priority ${safe(ticket.priority)} · plan ${safe(ticket.plan ?? '-')} · language ${safe(ticket.locale)}`,
    `  requester ${safe(ticket.requesterName ? `${ticket.requesterName} <${ticket.requester}>` : ticket.requester)}${ticket.participants.length > 0 ? ` · participants ${safe(ticket.participants.join(', '))}` : ''}`,
    `  first response due ${safe(ticket.firstResponseDue ?? '-')}${ticket.firstRespondedAt ? ` (answered ${safe(ticket.firstRespondedAt)})` : ''} · resolution due ${safe(ticket.resolutionDue ?? '-')}`,
  ];
  if (ticket.assignee !== null) lines.push(`  assigned to ${safe(ticket.assignee)}`);
  if (ticket.flags.length > 0) lines.push(`  flags ${safe(ticket.flags.join(', '))}`);
  if (ticket.duplicateOf !== null) lines.push(`  closed as a duplicate of #${ticket.duplicateOf}`);
  const held = ticket.followUpWindow?.held ?? [];
  if (held.length > 0)
    lines.push(
      `  follow-ups ${held.join(', ')} held for the agents until ${safe(ticket.followUpWindow?.until ?? '-')}`,
    );
  if (ticket.timerLog.length > 0) {
    const acted = ticket.timerLog.map((entry) => `${entry.key} at ${entry.at}`);
    lines.push(`  escalation level ${ticket.escalationLevel} · timers acted: ${safe(acted.join(', '))}`);
  }
  if (ticket.satisfaction !== null) {
    const { rating, comment, at } = ticket.satisfaction;
    lines.push(`  satisfaction ${safe(rating)} (${safe(at)})${comment === null ? '' : `: ${safe(comment)}`}`);
  }
  const undelivered = messages.filter((message) => message.delivery?.status === 'failed').length;
  if (undelivered > 0)
    lines.push(`  ${undelivered} mail${undelivered === 1 ? '' : 's'} could not be delivered (see below)`);
  for (const message of messages) {
    lines.push(
      '',
      `--- ${message.sequence}. ${safe(message.direction)} ${safe(message.purpose)} (${safe(message.author)}) ${safe(message.at)}`,
    );
    if (message.delivery?.status === 'failed') {
      lines.push(`NOT DELIVERED: ${safe(message.delivery.code)}: ${safe(message.delivery.reason)}`);
    }
    if (message.heldUntil !== null)
      lines.push(`Throttled follow-up: held for the agents until ${safe(message.heldUntil)}`);
    lines.push(`From: ${safe(message.from)}`, `To: ${safe(message.to.join(', '))}`);
    if (message.cc.length > 0) lines.push(`Cc: ${safe(message.cc.join(', '))}`);
    if (message.declinedParticipants.length > 0) {
      const declined = message.declinedParticipants.map((entry) => `${entry.address} (${entry.reason})`);
      lines.push(`Not added to the ticket: ${safe(declined.join(', '))}`);
    }
    lines.push(...attachmentLines(message));
    lines.push(
      `Subject: ${safe(message.subject)}`,
      `Message-ID: ${safe(message.messageId ?? '-')}`,
      '',
      terminalText(message.text.trimEnd()),
    );
  }
  return lines.join('\n');
}

const outboxJson = (record: OutboxRecord) => ({
  messageId: record.messageId,
  date: record.date,
  from: record.from.address,
  fromName: record.from.name,
  to: record.to.map((address) => address.address),
  cc: record.cc.map((address) => address.address),
  replyTo: record.replyTo.map((address) => address.address),
  subject: record.subject,
  inReplyTo: record.inReplyTo,
  references: record.references,
  headers: record.headers,
  attachments: record.attachments,
  text: record.text,
  html: record.html,
});

/** One sent mail: its envelope on terminal-safe lines, then its text (it quotes the customer's words). */
export function renderOutboxRecord(record: OutboxRecord): string {
  const safe = terminalLine;
  const recipients = [...record.to, ...record.cc].map((address) => address.address).join(', ');
  return [
    `${safe(record.date)}  ${safe(record.from.address)} → ${safe(recipients)}`,
    `Subject: ${safe(record.subject)}`,
    `Message-ID: ${safe(record.messageId)}${record.inReplyTo ? `  In-Reply-To: ${safe(record.inReplyTo)}` : ''}`,
    ...record.attachments.map(
      (file) => `Attached: ${safe(file.filename)} (${safe(file.contentType)}, ${file.size} bytes)`,
    ),
    '',
    terminalText(record.text.trimEnd()),
  ].join('\n');
}

/** `atende ingest`'s one line: the addresses mail was sent to came from the message. */
export const describeIngestResult = (result: Awaited<ReturnType<typeof ingestEmail>>): string =>
  terminalLine(describeResult(result));

function describeResult(result: Awaited<ReturnType<typeof ingestEmail>>): string {
  switch (result.outcome) {
    case 'created':
      return `opened ticket #${result.ticketNumber}; sent: ${result.sent.join(', ') || 'nothing'}`;
    case 'threaded':
      return `added to ticket #${result.ticketNumber} (by ${result.via}); sent: ${result.sent.join(', ') || 'nothing'}`;
    case 'relayed':
      return `relayed an agent's reply on ticket #${result.ticketNumber}`;
    case 'recorded':
      return `kept the ${result.kind} on ticket #${result.ticketNumber}; nothing sent`;
    case 'quarantined':
      return `quarantined: ${result.reason}; nothing sent (the raw mail is kept)`;
    case 'duplicate':
      return `already processed${result.ticketNumber === null ? '' : ` (ticket #${result.ticketNumber})`}; sent: ${result.sent.join(', ') || 'nothing'}`;
  }
}
