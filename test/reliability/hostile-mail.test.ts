import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalMailer } from '../../lib/adapters/mail/local-mailer.ts';
import { composeMime } from '../../lib/adapters/mail/mime-composer.ts';
import { readEmulatorStore } from '../../lib/adapters/mail/ses-emulator.ts';
import { ingestEmail } from '../../lib/application/ingest-email.ts';
import type { OutgoingMail } from '../../lib/application/ports/mailer.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import { terminalLine } from '../../lib/cli/terminal-text.ts';
import type { InboundVerdicts } from '../../lib/domain/routing/inbound-verdicts.ts';
import type { Ticket } from '../../lib/domain/ticket/ticket.ts';
import { pipeline, ticketNumberOf } from '../support/ingest-pipeline.ts';
import { buildMail, type TestMail } from '../support/mail-builder.ts';
import { HOUR, shippedPolicy } from '../support/policy-fixtures.ts';
import { printFigures, sized } from '../support/reliability-size.ts';
import { clearEmulatorStore, useSesEmulator } from '../support/ses-emulator.ts';
import { headerTextsWithControls } from '../support/stored-headers.ts';

/**
 * Hostile mail through the whole ingest use case (issue 7 §2 and §4): forged staff and requester
 * mail under every combination of what SES (or the local listener's SMTP AUTH) can say about it,
 * hundreds of Cc, addresses that cannot be mailed, and control characters where a customer can
 * put them. The unit specs (sender-authentication, participants, who-may-do-what) pin single
 * decisions; this file crosses the inputs and checks what leaves and what is stored, every time:
 * - forged staff mail is never relayed and changes nothing; it is kept flagged
 *   `unauthenticated-staff` and the agents are told;
 * - mail that fails authentication adds no participant;
 * - no outgoing mail has more than `participants.max` + 1 recipients;
 * - an address that cannot be mailed is declined with a note and never reaches SES;
 * - nothing stored as a header holds a control character.
 */

const policy = shippedPolicy('default.yaml');
const MAX_RECIPIENTS = policy.participants.max + 1;

const REQUESTER = 'ana@customer.example';
const COLLEAGUE = 'bob@customer.example';
const STAFF = 'carla@example.com';
const AGENTS = 'servicedesk-agents@example.com';
const EVE = 'eve@attacker.example';

/** What a terminal must never be handed raw (terminal-text.ts): controls and bidirectional controls. */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

// ---------------------------------------------------------------------------------------------
// What SES and the local listener can say about a mail: every combination.
// ---------------------------------------------------------------------------------------------

type Verdict = 'PASS' | 'FAIL' | undefined;
/** Whose DKIM signature verified (SES's own Authentication-Results): the From domain's, another's, or not said. */
type Signer = 'from-domain' | 'other-domain' | undefined;
/** The SMTP AUTH identity: the From address itself, someone else, or no AUTH (SES). */
type Submitter = 'from' | 'other' | undefined;

interface Evidence {
  readonly spf: Verdict;
  readonly dkim: Verdict;
  readonly dmarc: Verdict;
  readonly dmarcPolicy: 'NONE' | undefined;
  readonly signer: Signer;
  readonly submitter: Submitter;
}

const VERDICTS: readonly Verdict[] = ['PASS', 'FAIL', undefined];
const SIGNERS: readonly Signer[] = ['from-domain', 'other-domain', undefined];
const POLICIES = ['NONE', undefined] as const;

/**
 * Every combination of SPF, DKIM, DMARC, the domain's DMARC policy (none or absent; quarantine
 * and reject are refused before anything else, below) and whose signature passed. At full size
 * each one also with SMTP AUTH as the From address and as someone else (a local listener never
 * hands SES verdicts over, but nothing in a verdict may override what AUTH proved); at CI size
 * AUTH is crossed with the verdicts that matter most (none, all passing, all failing).
 */
const evidenceMatrix = (): Evidence[] => {
  const verdictSets: Omit<Evidence, 'submitter'>[] = [];
  for (const spf of VERDICTS)
    for (const dkim of VERDICTS)
      for (const dmarc of VERDICTS)
        for (const dmarcPolicy of POLICIES)
          for (const signer of SIGNERS) verdictSets.push({ spf, dkim, dmarc, dmarcPolicy, signer });
  const withAuth = sized({
    ci: verdictSets.filter(
      (set) =>
        set.dmarcPolicy === undefined &&
        set.signer === undefined &&
        ((set.spf === undefined && set.dkim === undefined && set.dmarc === undefined) ||
          (set.spf === 'PASS' && set.dkim === 'PASS' && set.dmarc === 'PASS') ||
          (set.spf === 'FAIL' && set.dkim === 'FAIL' && set.dmarc === 'FAIL')),
    ),
    full: verdictSets,
  });
  return [
    ...verdictSets.map((set) => ({ ...set, submitter: undefined })),
    ...withAuth.flatMap((set) => (['from', 'other'] as const).map((submitter) => ({ ...set, submitter }))),
  ];
};

const domainOf = (address: string) => address.slice(address.indexOf('@') + 1);

/** What the ingest call is given for `evidence` on a mail From `from`. */
function receiptOf(evidence: Evidence, from: string): { verdicts: InboundVerdicts; submittedBy?: string } {
  const verdicts: InboundVerdicts = {
    ...(evidence.spf ? { spf: evidence.spf } : {}),
    ...(evidence.dkim ? { dkim: evidence.dkim } : {}),
    ...(evidence.dmarc ? { dmarc: evidence.dmarc } : {}),
    ...(evidence.dmarcPolicy ? { dmarcPolicy: evidence.dmarcPolicy } : {}),
    ...(evidence.signer
      ? { dkimDomains: [evidence.signer === 'from-domain' ? `mail.${domainOf(from)}` : 'mailer.attacker.example'] }
      : {}),
  };
  if (evidence.submitter === undefined) return { verdicts };
  return { verdicts, submittedBy: evidence.submitter === 'from' ? from : 'mallory@attacker.example' };
}

/**
 * Issue 7 §2 in its own words, the oracle of this file: a From is proven by SMTP AUTH as that very
 * address, or on SES by DMARC passing, or by DKIM passing with a signature of the From domain
 * where DMARC does not fail. It is disproven by AUTH as someone else, or by SPF and DKIM both
 * failing. Anything else proves nothing either way.
 */
function expectedProof(evidence: Evidence): 'authenticated' | 'failed' | 'unverified' {
  if (evidence.submitter !== undefined) return evidence.submitter === 'from' ? 'authenticated' : 'failed';
  if (evidence.dmarc === 'PASS') return 'authenticated';
  if (evidence.dkim === 'PASS' && evidence.signer === 'from-domain' && evidence.dmarc !== 'FAIL')
    return 'authenticated';
  if (evidence.spf === 'FAIL' && evidence.dkim === 'FAIL') return 'failed';
  return 'unverified';
}

const describeEvidence = (evidence: Evidence): string =>
  [
    `spf=${evidence.spf ?? '-'}`,
    `dkim=${evidence.dkim ?? '-'}${evidence.signer ? `(${evidence.signer === 'from-domain' ? 'd=From' : 'd=other'})` : ''}`,
    `dmarc=${evidence.dmarc ?? '-'}${evidence.dmarcPolicy ? '/p=none' : ''}`,
    `auth=${evidence.submitter ?? '-'}`,
  ].join(' ');

// ---------------------------------------------------------------------------------------------
// What every case checks, whatever it sent.
// ---------------------------------------------------------------------------------------------

const recipients = (mail: OutgoingMail): string[] => [...mail.to, ...(mail.cc ?? [])].map((to) => to.address);

async function expectCleanHeaders(store: TicketStore, number: number): Promise<void> {
  expect(await headerTextsWithControls(store, number)).toEqual([]);
}

const expectBoundedRecipients = (sent: readonly OutgoingMail[]): void => {
  const over = sent.filter((mail) => recipients(mail).length > MAX_RECIPIENTS).map(recipients);
  expect(over).toEqual([]);
};

/** What a mail that may change nothing must leave as it was. */
const unchangeable = (ticket: Ticket) => ({
  status: ticket.status,
  requester: ticket.requester,
  participants: ticket.participants,
  subject: ticket.subject,
  priority: ticket.priority,
  firstRespondedAt: ticket.firstRespondedAt,
  firstResponseDue: ticket.firstResponseDue,
  resolutionDue: ticket.resolutionDue,
  resolvedAt: ticket.resolvedAt,
  closedAt: ticket.closedAt,
  pauses: ticket.pauses,
  escalationLevel: ticket.escalationLevel,
});

// ---------------------------------------------------------------------------------------------
// The scenes a hostile mail arrives in.
// ---------------------------------------------------------------------------------------------

/** Ana's ticket with Bob in Cc, and the agents' notification a forger would answer. */
async function ticketWithNotification() {
  const setup = pipeline('default.yaml', { policy });
  const number = ticketNumberOf(await setup.receive({ cc: COLLEAGUE, subject: 'Printer offline' }));
  const notice = setup.sentTo(AGENTS)[0]!;
  return { ...setup, number, notice };
}

/** An agent's reply as a forger writes it: quoting the notification, setting a status, adding Eve. */
const staffReply = (notice: { subject: string; messageId: string }): TestMail => ({
  from: `Carla Agent <${STAFF}>`,
  cc: EVE,
  subject: `Re: ${notice.subject}`,
  inReplyTo: notice.messageId,
  text: '#status resolved\nPlease type your card number and PIN at https://attacker.example/pay',
});

const matrix = evidenceMatrix();
/** The matrix as test cases, each named by its evidence and what the issue says must then happen. */
const cases = (outcome: Record<ReturnType<typeof expectedProof>, string>) =>
  matrix.map((evidence) => [describeEvidence(evidence), outcome[expectedProof(evidence)], evidence] as const);
const figures = { cases: 0, mails: 0, maxRecipients: 0 };
const count = (sent: readonly OutgoingMail[]) => {
  figures.cases += 1;
  figures.mails += sent.length;
  figures.maxRecipients = Math.max(figures.maxRecipients, ...sent.map((mail) => recipients(mail).length));
};

afterAll(() =>
  printFigures('hostile-mail', {
    messages: figures.cases,
    mailsSent: figures.mails,
    mostRecipients: figures.maxRecipients,
    allowedRecipients: MAX_RECIPIENTS,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

describe('a staff From on a reply to a ticket, under every verdict', () => {
  it.each(
    cases({
      authenticated: 'relayed',
      failed: 'never relayed, nothing changed, kept flagged, agents told',
      unverified: 'never relayed, nothing changed, kept flagged, agents told',
    }),
  )('%s: %s', async (_, __, evidence) => {
    const { receive, store, mailer, number, notice } = await ticketWithNotification();
    const before = (await store.getTicket(number))!;
    mailer.sent.length = 0;

    const result = await receive(staffReply(notice), receiptOf(evidence, STAFF));

    const after = (await store.getTicket(number))!;
    if (expectedProof(evidence) === 'authenticated') {
      // `#status solved`: the reply is relayed, and the requester alone gets the resolution summary.
      expect(result).toMatchObject({
        outcome: 'relayed',
        ticketNumber: number,
        sent: ['agent-reply-relay', 'resolution-summary'],
      });
      expect(after.status).toBe('resolved');
      expect(mailer.sent.map(recipients)).toEqual([[REQUESTER, COLLEAGUE], [REQUESTER]]);
    } else {
      expect(result).toMatchObject({
        outcome: 'recorded',
        kind: 'unauthenticated-staff',
        ticketNumber: number,
        sent: ['agent-unauthenticated-staff'],
      });
      expect(unchangeable(after)).toEqual(unchangeable(before));
      expect(after.flags).toContain('unauthenticated-staff');
      expect(mailer.sent.map(recipients)).toEqual([[AGENTS]]);
      const kept = (await store.listMessages(number)).find((message) => message.purpose === 'unauthenticated-staff');
      expect(kept).toMatchObject({ author: 'unverified', from: STAFF, direction: 'inbound' });
    }
    // An agent's Cc never makes a participant, proven or not: only the requester's mail does.
    expect(after.participants).toEqual([COLLEAGUE]);
    expectBoundedRecipients(mailer.sent);
    await expectCleanHeaders(store, number);
    count(mailer.sent);
  });
});

describe("the requester's From on a reply to their ticket, naming Eve in Cc, under every verdict", () => {
  it.each(
    cases({
      authenticated: 'Eve joins',
      failed: 'text kept, flagged, no participant, nothing else changed',
      unverified: 'Eve joins',
    }),
  )('%s: %s', async (_, __, evidence) => {
    const { receive, store, mailer, clock, number, notice, sentTo } = await ticketWithNotification();
    await receive(
      {
        from: STAFF,
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: '#status waiting\nRestart it.',
      },
      { submittedBy: STAFF },
    );
    const before = (await store.getTicket(number))!;
    expect(before.status).toBe('waiting-on-customer');
    mailer.sent.length = 0;
    // Past the policy's minFollowUpInterval, so the agents are told of this reply.
    clock.advance(HOUR);

    const result = await receive(
      { from: REQUESTER, cc: EVE, subject: `Re: [Atende #${number}] Printer offline`, text: 'Still offline.' },
      receiptOf(evidence, REQUESTER),
    );

    expect(result).toMatchObject({ outcome: 'threaded', ticketNumber: number });
    const after = (await store.getTicket(number))!;
    const kept = (await store.listMessages(number)).find((message) => message.cc.includes(EVE))!;
    if (expectedProof(evidence) === 'failed') {
      expect(unchangeable(after)).toEqual(unchangeable(before));
      expect(after.flags).toContain('unauthenticated-sender');
      expect(kept.declinedParticipants).toEqual([{ address: EVE, reason: 'unauthenticated' }]);
    } else {
      expect(after).toMatchObject({ status: 'open', participants: [COLLEAGUE, EVE] });
      expect(after.flags).not.toContain('unauthenticated-sender');
      expect(kept.declinedParticipants).toEqual([]);
    }
    // Only the agents hear of a customer's reply; nobody outside is mailed on its account.
    expect(mailer.sent.map(recipients)).toEqual([[AGENTS]]);

    // The agent's next answer goes to the requester and the participants there are, no more.
    await receive(
      { from: STAFF, subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text: 'Try the driver.' },
      { submittedBy: STAFF },
    );
    expect(sentTo(EVE)).toHaveLength(expectedProof(evidence) === 'failed' ? 0 : 1);
    expectBoundedRecipients(mailer.sent);
    await expectCleanHeaders(store, number);
    count(mailer.sent);
  });
});

describe('a new mail naming Eve in Cc, under every verdict', () => {
  it.each(
    cases({
      authenticated: 'acknowledged, Eve joins',
      failed: 'not acknowledged, nobody joins',
      unverified: 'acknowledged, Eve joins',
    }),
  )('%s: %s', async (_, __, evidence) => {
    const { receive, store, mailer } = pipeline('default.yaml', { policy });

    const result = await receive(
      { from: `Ana Souza <${REQUESTER}>`, cc: EVE, subject: 'Invoice is wrong' },
      receiptOf(evidence, REQUESTER),
    );

    const number = ticketNumberOf(result);
    const ticket = (await store.getTicket(number))!;
    if (expectedProof(evidence) === 'failed') {
      // The From may not be theirs: no answer to it, and nobody it names joins.
      expect(result).toMatchObject({ outcome: 'created', sent: ['agent-new-ticket'] });
      expect(ticket.participants).toEqual([]);
      expect(ticket.flags).toContain('unauthenticated-sender');
      expect(mailer.sent.map(recipients)).toEqual([[AGENTS]]);
    } else {
      expect(result).toMatchObject({ outcome: 'created', sent: ['acknowledgement', 'agent-new-ticket'] });
      expect(ticket.participants).toEqual([EVE]);
      expect(ticket.flags).not.toContain('unauthenticated-sender');
      // The acknowledgement goes to the requester alone.
      expect(mailer.sent.map(recipients)).toEqual([[REQUESTER], [AGENTS]]);
    }
    expectBoundedRecipients(mailer.sent);
    await expectCleanHeaders(store, number);
    count(mailer.sent);
  });
});

describe('a staff From on a new mail, under every verdict', () => {
  it.each(
    cases({
      authenticated: 'a ticket like anyone’s',
      failed: 'flagged unauthenticated-staff, not acknowledged, nobody joins',
      unverified: 'flagged unauthenticated-staff',
    }),
  )('%s: %s', async (_, __, evidence) => {
    const { receive, store, mailer } = pipeline('default.yaml', { policy });

    const result = await receive(
      { from: `Carla Agent <${STAFF}>`, cc: EVE, subject: 'Urgent: reset every password', text: '#status closed' },
      receiptOf(evidence, STAFF),
    );

    // Staff may open a ticket for themselves like anyone; one whose From is not proven carries the flag.
    const number = ticketNumberOf(result);
    const ticket = (await store.getTicket(number))!;
    const proof = expectedProof(evidence);
    expect(ticket.status).toBe('new');
    if (proof === 'authenticated') expect(ticket.flags).not.toContain('unauthenticated-staff');
    else expect(ticket.flags).toContain('unauthenticated-staff');
    expect(ticket.participants).toEqual(proof === 'failed' ? [] : [EVE]);
    expect(result).toMatchObject({
      outcome: 'created',
      sent: proof === 'failed' ? ['agent-new-ticket'] : ['acknowledgement', 'agent-new-ticket'],
    });
    expect(mailer.sent.at(-1)!.to.map((to) => to.address)).toEqual([AGENTS]);
    expectBoundedRecipients(mailer.sent);
    await expectCleanHeaders(store, number);
    count(mailer.sent);
  });
});

describe('DMARC failing where the domain asks for quarantine or reject', () => {
  it.each([
    ['a staff reply', 'QUARANTINE'],
    ['a staff reply', 'REJECT'],
    ["the requester's reply", 'QUARANTINE'],
    ["the requester's reply", 'REJECT'],
  ] as const)('keeps %s with p=%s raw, quarantined, and sends nothing', async (who, dmarcPolicy) => {
    const { receive, store, mailer, number, notice } = await ticketWithNotification();
    const before = (await store.getTicket(number))!;
    mailer.sent.length = 0;
    const mail =
      who === 'a staff reply'
        ? staffReply(notice)
        : { from: REQUESTER, cc: EVE, subject: `Re: [Atende #${number}] Printer offline` };

    const result = await receive(mail, { verdicts: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL', dmarcPolicy } });

    expect(result).toEqual({ outcome: 'quarantined', reason: 'inbound.dmarc' });
    expect(mailer.sent).toEqual([]);
    expect(await store.getTicket(number)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// The tables below send for real: the mailer of the local stack, which composes the MIME the
// SES mailer composes, to the SES emulator, whose store is what "reached SES" means here.
// ---------------------------------------------------------------------------------------------

const ses = useSesEmulator();
const outboxDirectory = mkdtempSync(join(tmpdir(), 'atende-hostile-'));
afterAll(() => rmSync(outboxDirectory, { recursive: true, force: true }));
beforeEach(async () => clearEmulatorStore(ses().endpoint));

/** The desk with a mailer that sends through the emulator; `asked` is every mail the kernel asked it to send. */
function deskOnEmulator() {
  const setup = pipeline('default.yaml', { policy });
  const sender = new LocalMailer({ endpoint: ses().endpoint, dataDirectory: outboxDirectory, clock: setup.clock });
  const asked: OutgoingMail[] = [];
  const deps = {
    ...setup.deps,
    mailer: {
      send: (mail: OutgoingMail) => {
        asked.push(mail);
        return sender.send(mail);
      },
    },
  };
  let events = 0;
  const receive = async (mail: TestMail, options: { verdicts?: InboundVerdicts; submittedBy?: string } = {}) => {
    const key = `inbound/hostile-${++events}`;
    await setup.rawMail.put(key, buildMail(mail));
    return ingestEmail(deps, { receiptKey: key, rawKey: key, recipients: ['servicedesk@example.com'], ...options });
  };
  /** The addresses of every mail the emulator took, one list a mail (it keeps the header text: names, commas). */
  const reachedSes = async () =>
    (await readEmulatorStore(ses().endpoint)).map((mail) =>
      [...mail.destination.to, ...mail.destination.cc].flatMap((header) =>
        addressparser(header, { flatten: true }).map((entry) => entry.address),
      ),
    );
  return { ...setup, receive, asked, reachedSes, close: () => sender.close() };
}

/** The header block of a composed mail: printable ASCII, folded with CRLF and tabs or spaces, nothing else. */
async function expectPlainHeaderBlock(mail: OutgoingMail): Promise<void> {
  const raw = (await composeMime(mail, { messageId: '<check@example.com>' })).toString('latin1');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  expect(head.replace(/\r\n[ \t]/g, ' ')).toMatch(/^[\x20-\x7e\r\n]*$/);
  expect(head.split('\r\n').filter((line) => !/^[ \t]/.test(line) && !/^[!-9;-~]+:/.test(line))).toEqual([]);
}

const PROOFS = {
  unverified: {},
  authenticated: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
  failed: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL', dmarcPolicy: 'NONE' },
} as const satisfies Record<string, InboundVerdicts>;
type Proof = keyof typeof PROOFS;

describe('500 addresses in one header', () => {
  const named = Array.from({ length: 500 }, (_, index) => `person${index}@many.example`);
  const cases = (['Cc', 'To'] as const).flatMap((header) =>
    (['new ticket', 'reply'] as const).flatMap((scene) =>
      (Object.keys(PROOFS) as Proof[]).map((proof) => [header, scene, proof] as const),
    ),
  );

  it.each(cases)(
    'in %s of a %s that is %s: at most participants.max join, the rest are noted, agents told',
    async (header, scene, proof) => {
      const desk = deskOnEmulator();
      const { receive, store, clock, asked, reachedSes } = desk;
      let number: number | null = null;
      if (scene === 'reply') {
        number = ticketNumberOf(await receive({ from: REQUESTER, cc: COLLEAGUE, subject: 'Printer offline' }));
        clock.advance(HOUR);
      }
      const list = named.join(', ');
      const mail: TestMail = {
        from: `Ana Souza <${REQUESTER}>`,
        subject: number === null ? 'Printer offline' : `Re: [Atende #${number}] Printer offline`,
        ...(header === 'Cc' ? { cc: list } : { to: `servicedesk@example.com, ${list}` }),
      };
      const asking = asked.length;

      const result = await receive(mail, { verdicts: PROOFS[proof] });

      number ??= ticketNumberOf(result);
      const ticket = (await store.getTicket(number))!;
      const already = scene === 'reply' ? [COLLEAGUE] : [];
      const joined = proof === 'failed' ? [] : named.slice(0, policy.participants.max - already.length);
      expect(ticket.participants).toEqual([...already, ...joined]);
      const message = (await store.listMessages(number)).find((kept) => kept.declinedParticipants.length > 0)!;
      expect(message.declinedParticipants).toHaveLength(500 - joined.length);
      expect(new Set(message.declinedParticipants.map((declined) => declined.reason))).toEqual(
        new Set([proof === 'failed' ? 'unauthenticated' : 'limit']),
      );
      // The agents are told who was not added; the requester alone is acknowledged.
      const told = asked.slice(asking).filter((sent) => recipients(sent).includes(AGENTS));
      expect(told).toHaveLength(1);
      expect(told[0]!.text).toContain('Not added to the ticket');
      expect(told[0]!.text).toContain(named[499]);
      for (const sent of asked.slice(asking).filter((sent) => !recipients(sent).includes(AGENTS)))
        expect(recipients(sent)).toEqual([REQUESTER]);

      // The agent's answer goes to the requester and the participants, no one else.
      const notice = asked.filter((sent) => recipients(sent).includes(AGENTS)).at(-1)!;
      const relay = await receive(
        { from: STAFF, subject: `Re: ${notice.subject}`, text: 'Restarting it now.' },
        { submittedBy: STAFF },
      );
      expect(relay).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay'] });
      expect(recipients(asked.at(-1)!)).toEqual([REQUESTER, ...ticket.participants]);
      const destinations = await reachedSes();
      expect(destinations.filter((to) => to.length > MAX_RECIPIENTS)).toEqual([]);
      expect(destinations.length).toBe(asked.length);
      expectBoundedRecipients(asked);
      count(asked);
      desk.close();
    },
  );
});

describe('addresses that cannot be mailed', () => {
  /** What each address written in a Cc becomes: a participant, a note on the message, or nothing at all (not an address). */
  const ADDRESSES: readonly (readonly [
    written: string,
    becomes: 'participant' | 'declined' | 'nothing',
    as: string,
  ])[] = [
    ['john.doe@customer.example', 'participant', 'john.doe@customer.example'],
    ['carol(the boss)@customer.example', 'participant', 'carol@customer.example'],
    ['"john doe"@customer.example', 'declined', '"john doe"@customer.example'],
    ['"bob@evil.example"@customer.example', 'declined', '"bob@evil.example"@customer.example'],
    ['"john..doe"@customer.example', 'declined', 'john..doe@customer.example'],
    ['john..doe@customer.example', 'declined', 'john..doe@customer.example'],
    ['joão@cliente.example', 'declined', 'joão@cliente.example'],
    ['bob@bücher.example', 'declined', 'bob@bücher.example'],
    [`${'x'.repeat(65)}@customer.example`, 'declined', `${'x'.repeat(65)}@customer.example`],
    ['bob@localhost', 'declined', 'bob@localhost'],
    ['ana@192.168.0.1', 'declined', 'ana@192.168.0.1'],
    ['bob@[192.168.0.1]', 'declined', 'bob@[192.168.0.1]'],
    ['bob@-bad-.example', 'declined', 'bob@-bad-.example'],
    ['bob@customer.example.', 'declined', 'bob@customer.example.'],
    ['bob@.customer.example', 'declined', 'bob@.customer.example'],
    ['dave@', 'nothing', ''],
    ['@customer.example', 'nothing', ''],
    ['a@b@c.example', 'nothing', ''],
    ['undisclosed-recipients:;', 'nothing', ''],
    ['<>', 'nothing', ''],
  ];

  it.each(ADDRESSES)(
    '%s in Cc becomes %s, and every mail of the ticket still goes out',
    async (written, becomes, as) => {
      const desk = deskOnEmulator();
      const { receive, store, asked, reachedSes } = desk;

      const number = ticketNumberOf(await receive({ from: REQUESTER, cc: `${written}, ${COLLEAGUE}` }));

      const ticket = (await store.getTicket(number))!;
      const [first] = await store.listMessages(number);
      expect(ticket.participants).toEqual(becomes === 'participant' ? [as, COLLEAGUE] : [COLLEAGUE]);
      expect(first!.declinedParticipants).toEqual(
        becomes === 'declined' ? [{ address: as, reason: 'unmailable' }] : [],
      );
      const notice = asked.find((sent) => recipients(sent).includes(AGENTS))!;
      if (becomes === 'declined') expect(notice.text).toContain(as);
      await receive({ from: STAFF, subject: `Re: ${notice.subject}`, text: 'On it.' }, { submittedBy: STAFF });

      // Acknowledgement, agents' notification and relay all reached SES, none of them to the address.
      const destinations = await reachedSes();
      expect(destinations).toEqual([[REQUESTER], [AGENTS], [REQUESTER, ...ticket.participants]]);
      expect((await store.listMessages(number)).filter((message) => message.delivery?.status === 'failed')).toEqual([]);
      await expectCleanHeaders(store, number);
      count(asked);
      desk.close();
    },
  );

  it.each(['"john doe"@customer.example', 'joão@cliente.example', 'bob@localhost', 'bob@[192.168.0.1]'])(
    'opens a ticket from %s, tells the agents, and records the acknowledgement as not delivered',
    async (from) => {
      const desk = deskOnEmulator();
      const { receive, store, reachedSes } = desk;

      const result = await receive({ from });

      const number = ticketNumberOf(result);
      expect(await reachedSes()).toEqual([[AGENTS]]);
      const acknowledgement = (await store.listMessages(number)).find(
        (message) => message.purpose === 'acknowledgement',
      );
      expect(acknowledgement?.delivery).toMatchObject({ status: 'failed', code: 'mail.invalidAddress' });
      // Nothing stays owed: the same event again is a duplicate and sends nothing.
      expect(await desk.deps.store.getReceipt('inbound/hostile-1')).toMatchObject({ owed: [] });
      desk.close();
    },
  );
});

describe('control characters where a customer can put them', () => {
  const encodedWord = (text: string) => `=?utf-8?b?${Buffer.from(text, 'utf8').toString('base64')}?=`;
  const CHARACTERS = {
    ESC: '\x1b[2J\x1b]0;owned\x07',
    BEL: '\x07',
    NUL: '\x00',
    DEL: '\x7f',
    VT: '\v',
    'C1 CSI': '\u009b31m',
    'C1 NEL': '\u0085',
    'bidi override RLO': '\u202e',
    'bidi isolate LRI': '\u2066',
    'line separator': '\u2028',
    'zero-width space': '\u200b',
  } as const;
  type Place = 'subject' | 'encoded subject' | 'name' | 'encoded name' | 'text' | 'encoded CR LF in subject';
  const PLACES: readonly Place[] = ['subject', 'encoded subject', 'name', 'encoded name', 'text'];
  const cases = [
    ...Object.entries(CHARACTERS).flatMap(([label, character]) =>
      PLACES.map((place) => [label, place, character] as const),
    ),
    ['CR LF and a Bcc header', 'encoded CR LF in subject', '\r\nBcc: eve@attacker.example\r\n'] as const,
  ];

  const mailWith = (place: Place, character: string): TestMail => {
    const subject = `Printer${character}offline`;
    const name = `Ana${character}Souza`;
    switch (place) {
      case 'subject':
        return { subject, text: 'Hello.' };
      case 'encoded subject':
      case 'encoded CR LF in subject':
        return { subject: encodedWord(subject), text: 'Hello.' };
      case 'name':
        return { from: `${name} <${REQUESTER}>` };
      case 'encoded name':
        return { from: `${encodedWord(name)} <${REQUESTER}>` };
      case 'text':
        return { text: `The printer says ${subject} and ${name}.` };
    }
  };

  it.each(cases)(
    '%s in the %s: no stored header holds it, no mail header carries it, no terminal sees it',
    async (_, place, character) => {
      const desk = deskOnEmulator();
      const { receive, store, asked, reachedSes } = desk;

      const number = ticketNumberOf(await receive({ from: REQUESTER, ...mailWith(place, character) }));

      await expectCleanHeaders(store, number);
      const ticket = (await store.getTicket(number))!;
      const [message] = await store.listMessages(number);
      // The words around it are kept.
      if (place.includes('subject')) expect(ticket.subject).toMatch(/^Printer.*offline$/u);
      if (place.includes('name')) expect(ticket.requesterName).toMatch(/^Ana.*Souza$/u);
      if (place === 'text') expect(message!.text).toContain('offline');
      for (const mail of asked) await expectPlainHeaderBlock(mail);
      expect(await reachedSes()).toEqual([[REQUESTER], [AGENTS]]);
      // What the CLI prints of it escapes whatever is left (bidi controls are text, kept, and shown escaped).
      const shown = [ticket.subject, ticket.requesterName ?? '', message!.subject, message!.text].map(terminalLine);
      expect(shown.filter((line) => TERMINAL_UNSAFE.test(line))).toEqual([]);
      count(asked);
      desk.close();
    },
  );
});
