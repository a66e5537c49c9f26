import {
  BODIES,
  DOMAINS,
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
import { bounceMail, type CustomerMail, customerMail, type Person } from './generated-mail-bytes.ts';

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
  /** How long the late mail is held up on its way: longer than a subject's thread claim lasts. */
  readonly lateBy: number;
  /** Writes a planned follow-up of a thread, answering the acknowledgement its requester received. */
  followUp(thread: GeneratedThread, planned: PlannedFollowUp, acknowledgement: ReceivedAcknowledgement): GeneratedMail;
}

/** How a thread opens: one mail, two of the same new thread at one instant, or a reply before its mail. */
const OPENINGS: readonly ['single' | 'same-subject' | 'reply-at-once' | 'reply-first', number][] = [
  ['single', 0.62],
  ['same-subject', 0.14],
  ['reply-at-once', 0.14],
  ['reply-first', 0.1],
];
/** An hour: past the 15 minutes a subject's thread claim lasts, so only the reply's claim on its Message-ID finds it. */
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
  const facts = new Map<number, { subject: string; names: Map<string, string> }>();
  let messages = 0;
  while (messages < options.messages) {
    const id = threads.length;
    const language = pick(LANGUAGES);
    const requester = person(language, `t${id}`);
    const subject = pick(SUBJECTS[language]);
    const opening = weighted(random, OPENINGS);
    const colleague =
      opening === 'reply-at-once' || opening === 'reply-first' ? person(language, `t${id}-colleague`) : null;
    const first = threadMail(key(), opening === 'reply-first' ? 'overtaken' : 'new', id, {
      from: requester,
      cc: colleague,
      subject,
      text: `${pick(BODIES[language])}\n${requester.name}`,
      html: random() < 0.35,
    });
    const mails = [first];
    if (opening === 'same-subject') {
      const text = `${pick(REPLIES[language])}\n${requester.name}`;
      mails.push(threadMail(key(), 'same-subject', id, { from: requester, subject, text, html: false }));
    }
    if (colleague !== null) {
      mails.push(
        threadMail(key(), opening === 'reply-first' ? 'reply-first' : 'reply-at-once', id, {
          from: colleague,
          cc: requester,
          subject: `Re: ${subject}`,
          inReplyTo: first.messageId,
          references: [first.messageId],
          text: `${pick(REPLIES[language])}\n${colleague.name}\n\n> ${subject}`,
          html: false,
        }),
      );
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
    facts.set(id, { subject, names });
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
    followUp(thread, { key: followUpKey, kind, text }, acknowledgement) {
      const language = thread.language;
      const { subject, names } = facts.get(thread.id)!;
      const from: Person = { address: acknowledgement.to, name: names.get(acknowledgement.to) ?? '' };
      const answering = { inReplyTo: acknowledgement.messageId, references: [acknowledgement.messageId] };
      switch (kind) {
        case 'reply':
          return threadMail(followUpKey, kind, thread.id, {
            from,
            subject: `Re: ${acknowledgement.subject}`,
            ...answering,
            text: `${text}\n${from.name}\n\n> ${acknowledgement.subject}`,
            html: false,
          });
        case 'tagged':
          // Written from scratch with the tag typed in (a new mail, not a reply): no threading headers.
          return threadMail(followUpKey, kind, thread.id, {
            from,
            subject: `[Atende #${acknowledgement.ticketNumber}] ${subject}`,
            text: `${text}\n${from.name}`,
            html: false,
          });
        case 'auto-reply':
          return threadMail(followUpKey, kind, thread.id, {
            from,
            subject: `${OUT_OF_OFFICE[language].prefix}${acknowledgement.subject}`,
            ...answering,
            text: OUT_OF_OFFICE[language].text,
            html: false,
            headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
          });
        case 'bounce':
          return {
            key: followUpKey,
            kind,
            thread: thread.id,
            messageId: bounceIdOf(followUpKey),
            quarantine: null,
            raw: bounceMail(bounceIdOf(followUpKey), acknowledgement),
          };
      }
    },
  };
}

/** A customer's mail of a thread, its Message-ID made from its key and its author's domain. */
function threadMail(
  key: string,
  kind: GeneratedKind,
  thread: number,
  mail: Omit<CustomerMail, 'messageId'>,
): GeneratedMail {
  const messageId = messageIdOf(key, mail.from);
  return { key, kind, thread, messageId, quarantine: null, raw: customerMail({ ...mail, messageId }) };
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
          headers: { 'Auto-Submitted': 'auto-replied' },
        }),
      };
    case 'stray-bounce':
      return {
        ...mail,
        raw: bounceMail(messageId, {
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
