import { describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../../lib/adapters/mail/outbox.ts';
import {
  describeIngestResult,
  renderOutboxRecord,
  renderTicket,
  renderTicketTable,
} from '../../../lib/cli/commands/local-stack-commands.ts';
import { aMessage, anOutboundMessage, aTicket } from '../../support/ticket-fixtures.ts';

/** What must never reach the terminal raw: C0 (but LF), DEL, C1 and the bidi and line-breaking format characters. */
const RAW_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** A subject written to attack the agent's terminal: retitle the window, clear the screen, ring, reverse the text. */
const HOSTILE_SUBJECT = 'Refund\x1b]0;root@desk\x07\x1b[2J\u009b1m \u202eexe.fdp\u202c\r#1 closed\ndone';
const HOSTILE_TEXT = 'Hello,\r\n\x1b[31mred\x1b[0m\tand\u2066hidden\u2069\x07\nBye';

const outboxRecord = (overrides: Partial<OutboxRecord> = {}): OutboxRecord => ({
  messageId: '<m1@atende.local>',
  emulatorId: 'ses-1',
  date: '2026-11-24T13:00:00.000Z',
  from: { address: 'servicedesk@example.com', name: 'Atende Support' },
  to: [{ address: 'ana@cliente.example', name: null }],
  cc: [],
  replyTo: [],
  subject: `[Atende #1000] ${HOSTILE_SUBJECT}`,
  inReplyTo: null,
  references: [],
  text: HOSTILE_TEXT,
  html: null,
  headers: {},
  attachments: [],
  ...overrides,
});

describe('tickets list', () => {
  it('prints a hostile subject as one escaped cell, on its ticket’s one line', () => {
    const table = renderTicketTable([aTicket(1001, { subject: HOSTILE_SUBJECT }), aTicket(1000)]);

    const lines = table.split('\n');
    expect(table).not.toMatch(RAW_CONTROL);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Refund\\x1b]0;root@desk\\x07\\x1b[2J\\x9b1m \\u202eexe.fdp\\u202c\\r#1 closed\\ndone');
  });

  it('escapes a requester address too, and keeps the columns aligned', () => {
    const table = renderTicketTable([
      aTicket(1001, { requester: 'eve\x1b[8m@attacker.example' }),
      aTicket(1000, { requester: 'ana@example.com' }),
    ]);

    const [header, first, second] = table.split('\n');
    expect(table).not.toMatch(RAW_CONTROL);
    expect(first).toContain('eve\\x1b[8m@attacker.example');
    expect(first!.indexOf('Printer on fire')).toBe(header!.indexOf('SUBJECT'));
    expect(second!.indexOf('Printer on fire')).toBe(header!.indexOf('SUBJECT'));
  });

  it('cuts a long cell by characters, never through an emoji', () => {
    const table = renderTicketTable([aTicket(1000, { requester: `${'a'.repeat(39)}😀@example.com` })]);

    expect(table.split('\n')[1]).toContain(`${'a'.repeat(39)}😀  `);
  });
});

describe('tickets show', () => {
  it('escapes controls in the subject and headers, and keeps the message’s line breaks', () => {
    const ticket = aTicket(1000, { subject: HOSTILE_SUBJECT, requesterName: 'Ana\x1b[2K' });
    const message = aMessage(1000, 1, {
      subject: HOSTILE_SUBJECT,
      from: 'ana@example.com',
      cc: ['bob\u202e@example.com'],
      text: HOSTILE_TEXT,
    });

    const shown = renderTicket(ticket, [message]);

    expect(shown).not.toMatch(RAW_CONTROL);
    expect(shown).toContain('Ticket #1000: Refund\\x1b]0;root@desk\\x07');
    expect(shown).toContain('requester Ana\\x1b[2K <ana@example.com>');
    expect(shown).toContain('Cc: bob\\u202e@example.com');
    expect(shown).toContain('Hello,\n\\x1b[31mred\\x1b[0m      and\\u2066hidden\\u2069\\x07\nBye');
  });

  it('prints an ordinary ticket with what each message was for', () => {
    const message = aMessage(1000, 1, {
      messageId: '<m1@mail.example.com>',
      text: 'Bom dia,\n\na impressora\tpegou fogo.\n',
    });

    const shown = renderTicket(aTicket(1000), [message]);

    expect(shown).toBe(
      [
        'Ticket #1000: Printer on fire',
        '  status new · queue servicedesk · priority normal · plan - · language pt-BR',
        '  requester Ana Souza <ana@example.com>',
        '  first response due 2025-03-03T16:00:00.000Z · resolution due -',
        '',
        '--- 1. inbound customer-message (requester) 2025-03-03T12:00:00.000Z',
        'From: ana@example.com',
        'To: servicedesk@support.example',
        'Subject: Printer on fire',
        'Message-ID: <m1@mail.example.com>',
        '',
        'Bom dia,',
        '',
        'a impressora    pegou fogo.',
      ].join('\n'),
    );
  });

  it('shows a mail that could not be delivered, with its reason, and the addresses not added', () => {
    const failed = anOutboundMessage(1000, 2, {
      messageId: null,
      delivery: {
        status: 'failed',
        code: 'mail.rejected',
        reason: 'Address blacklisted.',
        at: '2025-03-03T12:00:02.000Z',
      },
    });
    const inbound = aMessage(1000, 1, {
      declinedParticipants: [{ address: '"john doe"@example.com', reason: 'unmailable' }],
    });

    const shown = renderTicket(aTicket(1000), [inbound, failed]);

    expect(shown).toContain('  1 mail could not be delivered (see below)');
    expect(shown).toContain(
      '--- 2. outbound acknowledgement (system) 2025-03-03T12:00:02.000Z\nNOT DELIVERED: mail.rejected: Address blacklisted.',
    );
    expect(shown).toContain('Not added to the ticket: "john doe"@example.com (unmailable)');
  });
});

describe('tickets show: the satisfaction survey', () => {
  it('prints the recorded rating, when, and the comment on one escaped line', () => {
    const ticket = aTicket(1000, {
      status: 'resolved',
      satisfaction: { rating: 'bad', comment: 'Slow\nreply \u202eevil', at: '2026-11-24T15:00:00.000Z' },
    });

    const lines = renderTicket(ticket, [aMessage(1000, 1)]).split('\n');

    expect(lines).toContain('  satisfaction bad (2026-11-24T15:00:00.000Z): Slow\\nreply \\u202eevil');
  });

  it('prints no satisfaction line before an answer', () => {
    expect(renderTicket(aTicket(1000), [aMessage(1000, 1)])).not.toContain('satisfaction');
  });
});

describe('outbox', () => {
  it('escapes the subject and the text of a sent mail that quotes a hostile customer', () => {
    const shown = renderOutboxRecord(outboxRecord());

    expect(shown).not.toMatch(RAW_CONTROL);
    expect(shown).toContain('Subject: [Atende #1000] Refund\\x1b]0;root@desk\\x07');
    expect(shown).toContain('\\x1b[31mred');
    expect(shown.split('\n')).toHaveLength(1 + 1 + 1 + 1 + 3);
  });

  it('escapes recipient addresses and In-Reply-To', () => {
    const shown = renderOutboxRecord(
      outboxRecord({ cc: [{ address: 'eve\x07@attacker.example', name: null }], inReplyTo: '<a\x1b[2J@b>' }),
    );

    expect(shown).not.toMatch(RAW_CONTROL);
    expect(shown).toContain('ana@cliente.example, eve\\x07@attacker.example');
    expect(shown).toContain('In-Reply-To: <a\\x1b[2J@b>');
  });
});

describe('ingest', () => {
  it('prints its one-line result with what it names escaped', () => {
    const line = describeIngestResult({ outcome: 'quarantined', reason: 'inbound.\x1b[8mhidden\nforged line' });

    expect(line).toBe('quarantined: inbound.\\x1b[8mhidden\\nforged line; nothing sent (the raw mail is kept)');
  });

  it('names what it sent', () => {
    expect(
      describeIngestResult({ outcome: 'created', ticketNumber: 1000, sent: ['acknowledgement', 'agent-new-ticket'] }),
    ).toBe('opened ticket #1000; sent: acknowledgement, agent-new-ticket');
  });
});
