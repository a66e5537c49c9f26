import {
  BODIES,
  DOMAINS,
  encodedWord,
  LANGUAGES,
  type Language,
  NAMES,
  OUT_OF_OFFICE,
  REPLIES,
  SUBJECTS,
  seededRandom,
  weighted,
} from '../../bench/ingest-mail-generator.ts';
import type { InboundVerdicts } from '../../lib/domain/routing/inbound-verdicts.ts';

/**
 * A seeded generator of a busy hour at the help desk, for the reliability suite, in English,
 * Spanish and Portuguese (the people, subjects and words of the ingest benchmark's stream):
 * - new requests, some of them two mails of one new thread at the same instant: the requester
 *   writing twice on one subject, or a mail and a Cc'd colleague's reply to it; and some whose
 *   colleague's reply overtakes the mail it answers, which was delayed on its way (greylisted,
 *   a queue at the sender's provider) and comes `lateBy` later;
 * - answers to our acknowledgement, written once it is out: a reply (In-Reply-To / References),
 *   a mail that carries only the subject tag, an out-of-office, a bounce;
 * - mail that belongs to no ticket: an out-of-office and a bounce answering nothing we sent, spam.
 * Every thread has requesters of its own, so each new ticket owes exactly one acknowledgement,
 * and every mail says what should become of it, so a suite can account for each one.
 */

/** How a mail came to be written; what the kernel should make of it follows from it. */
export type GeneratedKind =
  | 'new'
  | 'same-subject'
  | 'reply-at-once'
  | 'reply-first'
  | 'overtaken'
  | 'reply'
  | 'tagged'
  | 'auto-reply'
  | 'bounce'
  | 'stray-auto-reply'
  | 'stray-bounce'
  | 'spam';

/** What answers our acknowledgement, once the customer has it. */
export type FollowUpKind = Extract<GeneratedKind, 'reply' | 'tagged' | 'auto-reply' | 'bounce'>;

export interface GeneratedMail {
  /** The receipt key it is delivered under (SES's messageId): `gen-<seed>-<n>`. */
  readonly key: string;
  readonly kind: GeneratedKind;
  /** The thread it belongs to (all of a thread's mail on one ticket), or null for mail that opens none. */
  readonly thread: number | null;
  /** Its Message-ID header, with angle brackets. */
  readonly messageId: string;
  /** For mail of no thread: the quarantine reason it must get. */
  readonly quarantine: string | null;
  readonly raw: Buffer;
  /** SES's verdicts, when they are not the ordinary "none either way". */
  readonly verdicts?: InboundVerdicts;
}

export interface PlannedFollowUp {
  readonly key: string;
  readonly kind: FollowUpKind;
  /** What the customer writes (an out-of-office writes its own). */
  readonly text: string;
}

export interface GeneratedThread {
  readonly id: number;
  readonly language: Language;
  /** Delivered together, at one instant: the first mail, and maybe a second one of the same new thread. */
  readonly opening: readonly GeneratedMail[];
  /** Mail of the opening delayed on its way: delivered `lateBy` after the rest of the hour. */
  readonly late: readonly GeneratedMail[];
  /** Written by `followUp` once the acknowledgement is out. */
  readonly followUps: readonly PlannedFollowUp[];
}

/** The acknowledgement a customer received: what their answers answer. */
export interface ReceivedAcknowledgement {
  readonly ticketNumber: number;
  /** The Message-ID the customer saw (with angle brackets). */
  readonly messageId: string;
  readonly subject: string;
  /** Who received it: the one who answers it. */
  readonly to: string;
}

export interface GeneratedMailOptions {
  /** At least this many mails in all (openings, follow-ups and strays). */
  readonly messages: number;
  readonly seed: number;
}

export interface GeneratedHour {
  readonly seed: number;
  readonly threads: readonly GeneratedThread[];
  /** Mail of no thread, each to be quarantined. */
  readonly strays: readonly GeneratedMail[];
  /** Every mail planned: openings, follow-ups and strays. */
  readonly messages: number;
  /** How long the late mail is delayed on its way: longer than any claim on a new thread that is not a Message-ID's. */
  readonly lateBy: number;
  /** Writes a planned follow-up of a thread, answering the acknowledgement its requester received. */
  followUp(thread: GeneratedThread, planned: PlannedFollowUp, acknowledgement: ReceivedAcknowledgement): GeneratedMail;
}

const SUPPORT_ADDRESS = 'servicedesk@example.com';
/** How a thread opens: one mail, two of the same new thread at one instant, or a reply before its mail. */
const OPENINGS: readonly ['single' | 'same-subject' | 'reply-at-once' | 'reply-first', number][] = [
  ['single', 0.62],
  ['same-subject', 0.14],
  ['reply-at-once', 0.14],
  ['reply-first', 0.1],
];
const LATE_BY_MS = 60 * 60_000;
/** The chance of each answer to the acknowledgement, independently. */
const FOLLOW_UP_CHANCES: readonly [FollowUpKind, number][] = [
  ['reply', 0.4],
  ['tagged', 0.15],
  ['auto-reply', 0.15],
  ['bounce', 0.1],
];
/** After each thread, the chance of one mail that belongs to no ticket. */
const STRAY_CHANCE = 0.08;
const STRAYS: readonly [Extract<GeneratedKind, 'stray-auto-reply' | 'stray-bounce' | 'spam'>, number][] = [
  ['stray-auto-reply', 0.4],
  ['stray-bounce', 0.3],
  ['spam', 0.3],
];
const STRAY_QUARANTINE = {
  'stray-auto-reply': 'inbound.autoReply',
  'stray-bounce': 'inbound.unmatchedBounce',
  spam: 'inbound.spam',
};
const DATE = 'Mon, 23 Nov 2026 10:00:00 -0500';

interface Person {
  readonly address: string;
  readonly name: string;
}

/** Plans a busy hour of at least `messages` mails; the same seed plans the same hour. */
export function generateMail(options: GeneratedMailOptions): GeneratedHour {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let next = 0;
  const key = () => `gen-${options.seed}-${next++}`;
  const person = (language: Language, role: string): Person => {
    const name = pick(NAMES[language]);
    const local = name
      .normalize('NFD')
      .replace(/[^A-Za-z ]/g, '')
      .toLowerCase()
      .replace(/ /g, '.');
    return { name, address: `${local}.${role}@${pick(DOMAINS)}` };
  };

  const threads: GeneratedThread[] = [];
  const strays: GeneratedMail[] = [];
  /** Each thread's subject, and the names of the people who may receive its acknowledgement. */
  const written = new Map<number, { subject: string; names: Map<string, string> }>();
  let messages = 0;
  while (messages < options.messages) {
    const id = threads.length;
    const language = pick(LANGUAGES);
    const requester = person(language, `t${id}`);
    const subject = pick(SUBJECTS[language]);
    const opening = weighted(random, OPENINGS);
    const first = key();
    const firstId = messageIdOf(first, requester);
    const answered = opening === 'reply-at-once' || opening === 'reply-first';
    const colleague = answered ? person(language, `t${id}-colleague`) : null;
    const mails: GeneratedMail[] = [
      {
        key: first,
        kind: opening === 'reply-first' ? 'overtaken' : 'new',
        thread: id,
        messageId: firstId,
        quarantine: null,
        raw: customerMail({
          from: requester,
          cc: colleague,
          subject,
          messageId: firstId,
          text: `${pick(BODIES[language])}\n${requester.name}`,
          html: random() < 0.35,
        }),
      },
    ];
    if (opening === 'same-subject') {
      const second = key();
      const secondId = messageIdOf(second, requester);
      mails.push({
        key: second,
        kind: 'same-subject',
        thread: id,
        messageId: secondId,
        quarantine: null,
        raw: customerMail({
          from: requester,
          subject,
          messageId: secondId,
          text: `${pick(REPLIES[language])}\n${requester.name}`,
          html: false,
        }),
      });
    }
    if (colleague !== null) {
      const reply = key();
      const replyId = messageIdOf(reply, colleague);
      mails.push({
        key: reply,
        kind: opening === 'reply-first' ? 'reply-first' : 'reply-at-once',
        thread: id,
        messageId: replyId,
        quarantine: null,
        raw: customerMail({
          from: colleague,
          cc: requester,
          subject: `Re: ${subject}`,
          messageId: replyId,
          inReplyTo: firstId,
          references: [firstId],
          text: `${pick(REPLIES[language])}\n${colleague.name}\n\n> ${subject}`,
          html: false,
        }),
      });
    }
    const followUps = FOLLOW_UP_CHANCES.filter(([, chance]) => random() < chance).map(([kind]) => ({
      key: key(),
      kind,
      text: pick(REPLIES[language]),
    }));
    const late = opening === 'reply-first' ? mails.splice(0, 1) : [];
    threads.push({ id, language, opening: mails, late, followUps });
    const names = new Map([[requester.address, requester.name]]);
    if (colleague !== null) names.set(colleague.address, colleague.name);
    written.set(id, { subject, names });
    messages += mails.length + late.length + followUps.length;

    if (random() < STRAY_CHANCE) {
      strays.push(strayMail(weighted(random, STRAYS), key(), person(language, `s${strays.length}`), subject, language));
      messages += 1;
    }
  }

  return {
    seed: options.seed,
    lateBy: LATE_BY_MS,
    threads,
    strays,
    messages,
    followUp(thread, planned, acknowledgement) {
      const language = thread.language;
      const { subject, names } = written.get(thread.id)!;
      const author: Person = { address: acknowledgement.to, name: names.get(acknowledgement.to) ?? '' };
      const messageId = messageIdOf(planned.key, author);
      const mail = { key: planned.key, kind: planned.kind, thread: thread.id, messageId, quarantine: null };
      switch (planned.kind) {
        case 'reply':
          return {
            ...mail,
            raw: customerMail({
              from: author,
              subject: `Re: ${acknowledgement.subject}`,
              messageId,
              inReplyTo: acknowledgement.messageId,
              references: [acknowledgement.messageId],
              text: `${planned.text}\n${author.name}\n\n> ${acknowledgement.subject}`,
              html: false,
            }),
          };
        case 'tagged':
          // Written from scratch with the tag typed in (a new mail, not a reply): no threading headers.
          return {
            ...mail,
            raw: customerMail({
              from: author,
              subject: `[Atende #${acknowledgement.ticketNumber}] ${subject}`,
              messageId,
              text: `${planned.text}\n${author.name}`,
              html: false,
            }),
          };
        case 'auto-reply':
          return {
            ...mail,
            raw: customerMail({
              from: author,
              subject: `${OUT_OF_OFFICE[language].prefix}${acknowledgement.subject}`,
              messageId,
              inReplyTo: acknowledgement.messageId,
              references: [acknowledgement.messageId],
              text: OUT_OF_OFFICE[language].text,
              html: false,
              headers: ['Auto-Submitted: auto-replied', 'X-Autoreply: yes'],
            }),
          };
        case 'bounce':
          return { ...mail, messageId: bounceIdOf(planned.key), raw: bounceMail(planned.key, acknowledgement) };
      }
    },
  };
}

const messageIdOf = (key: string, author: Person): string => `<${key}@${author.address.split('@')[1]}>`;
const bounceIdOf = (key: string): string => `<${key}@email.amazonses.com>`;

function strayMail(
  kind: keyof typeof STRAY_QUARANTINE,
  key: string,
  from: Person,
  subject: string,
  language: Language,
): GeneratedMail {
  const messageId = kind === 'stray-bounce' ? bounceIdOf(key) : messageIdOf(key, from);
  const mail = { key, kind, thread: null, messageId, quarantine: STRAY_QUARANTINE[kind] };
  switch (kind) {
    case 'stray-auto-reply':
      // An out-of-office answering a mail that was never ours (a list, a colleague): nothing to keep it on.
      return {
        ...mail,
        raw: customerMail({
          from,
          subject: `${OUT_OF_OFFICE[language].prefix}${subject}`,
          messageId,
          text: OUT_OF_OFFICE[language].text,
          html: false,
          headers: ['Auto-Submitted: auto-replied'],
        }),
      };
    case 'stray-bounce':
      return {
        ...mail,
        raw: bounceMail(key, {
          ticketNumber: null,
          messageId: `<never-sent-${key}@email.amazonses.com>`,
          subject,
          to: from.address,
        }),
      };
    case 'spam':
      return {
        ...mail,
        verdicts: { spam: 'FAIL', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        raw: customerMail({ from, subject, messageId, text: BODIES[language][0]!, html: false }),
      };
  }
}

interface CustomerMail {
  readonly from: Person;
  readonly cc?: Person | null;
  readonly subject: string;
  readonly messageId: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly text: string;
  /** multipart/alternative with an HTML part, as most mail clients send. */
  readonly html: boolean;
  readonly headers?: readonly string[];
}

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const named = (person: Person): string => `${encodedWord(person.name)} <${person.address}>`;

function customerMail(mail: CustomerMail): Buffer {
  const headers = [
    `From: ${named(mail.from)}`,
    `To: ${SUPPORT_ADDRESS}`,
    ...(mail.cc ? [`Cc: ${named(mail.cc)}`] : []),
    `Subject: ${encodedWord(mail.subject)}`,
    `Date: ${DATE}`,
    `Message-ID: ${mail.messageId}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references?.length ? [`References: ${mail.references.join(' ')}`] : []),
    ...(mail.headers ?? []),
    'MIME-Version: 1.0',
  ];
  const plain = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'];
  if (!mail.html) return Buffer.from(`${[...headers, ...plain].join('\r\n')}\r\n\r\n${crlf(mail.text)}\r\n`, 'utf8');
  const boundary = `=_alt_${mail.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  const html = `<html><body>${mail.text
    .split('\n\n')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;
  const body =
    `--${boundary}\r\n${plain.join('\r\n')}\r\n\r\n${crlf(mail.text)}\r\n` +
    `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}\r\n` +
    `--${boundary}--\r\n`;
  return Buffer.from(
    `${[...headers, `Content-Type: multipart/alternative; boundary="${boundary}"`].join('\r\n')}\r\n\r\n${body}`,
    'utf8',
  );
}

/** A delivery status notification as SES sends it (RFC 3464), returning the headers of the mail that bounced. */
function bounceMail(
  key: string,
  bounced: Omit<ReceivedAcknowledgement, 'ticketNumber'> & { readonly ticketNumber: number | null },
): Buffer {
  const boundary = `=_bounce_${key}`;
  const returned = [
    `From: Atende Support <${SUPPORT_ADDRESS}>`,
    `To: ${bounced.to}`,
    `Subject: ${encodedWord(bounced.subject)}`,
    `Message-ID: ${bounced.messageId}`,
    ...(bounced.ticketNumber === null ? [] : [`X-Atende-Ticket: ${bounced.ticketNumber}`]),
  ];
  return Buffer.from(
    [
      'Return-Path: <>',
      'From: MAILER-DAEMON@amazonses.com',
      `To: ${SUPPORT_ADDRESS}`,
      'Subject: Delivery Status Notification (Failure)',
      `Message-ID: ${bounceIdOf(key)}`,
      `Date: ${DATE}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'An error occurred while trying to deliver the mail to the following recipients:',
      bounced.to,
      '',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; a8-30.smtp-out.amazonses.com',
      '',
      'Action: failed',
      `Final-Recipient: rfc822; ${bounced.to}`,
      `Diagnostic-Code: smtp; 550 5.1.1 <${bounced.to}>: Recipient address rejected: User unknown`,
      'Status: 5.1.1',
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      ...returned,
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
    'utf8',
  );
}
