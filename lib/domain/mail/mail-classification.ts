import { withoutControlCharacters } from './header-text.ts';
import type { InboundMail } from './inbound-mail.ts';
import { MAX_LOCAL_PART_LENGTH } from './mailable-address.ts';

/**
 * What kind of sender wrote a message, for one decision: may atende answer it?
 * Only `customer` mail is ever acknowledged; answering the others makes mail loops
 * (RFC 3834 §1: automatic responses to automatic messages) or spams people who never wrote.
 */
export type MailKind = 'customer' | 'auto-reply' | 'bounce' | 'mailing-list' | 'own-mail';

export interface MailClassification {
  readonly kind: MailKind;
  /**
   * Which evidence decided, for the audit trail: `Auto-Submitted: auto-replied (RFC 3834 §5)`.
   * One line of at most 200 characters, without control characters.
   */
  readonly reason: string;
}

export interface ClassificationContext {
  /** The support addresses atende sends from (the queues' addresses). */
  readonly ownAddresses: readonly string[];
  /**
   * The right-hand side of the Message-IDs atende makes itself, when it makes them (the local
   * stack). Never a shared domain: SES replaces Message-IDs with `…@<region>.amazonses.com` for
   * every SES customer, so that domain says nothing about who sent a message.
   */
  readonly ownMessageIdDomain?: string;
  /** The SMTP envelope sender (SES's `mail.source`), when known; `''` for the null reverse-path. */
  readonly envelopeSender?: string | null;
}

/** The header atende sets on every message it sends; a message carrying it at the top level is its own. */
export const ATENDE_TICKET_HEADER = 'X-Atende-Ticket';

type Rule = (mail: InboundMail, context: ClassificationContext) => string | null;

/**
 * Classifies an inbound message. The order matters and is: bounce, auto-reply, mailing list,
 * own mail, customer. A bounce often also says `Auto-Submitted: auto-replied` (Office 365,
 * Postfix) and is more precisely a bounce; a list can carry an auto-reply; own mail that comes
 * back is one of the others first.
 */
export function classifyInboundMail(mail: InboundMail, context: ClassificationContext): MailClassification {
  const ordered: [MailKind, readonly Rule[]][] = [
    ['bounce', BOUNCE_RULES],
    ['auto-reply', AUTO_REPLY_RULES],
    ['mailing-list', LIST_RULES],
    ['own-mail', OWN_MAIL_RULES],
    // A null reverse-path without any other evidence: some automatic message (RFC 5321 §4.5.5
    // reserves it for notifications, RFC 3834 §3.3 asks responders to use it). There is no one
    // to answer anyway.
    ['bounce', [nullReversePath]],
  ];
  for (const [kind, rules] of ordered) {
    for (const rule of rules) {
      const reason = rule(mail, context);
      if (reason !== null) return { kind, reason: auditText(reason) };
    }
  }
  return { kind: 'customer', reason: 'no sign of automatic, list or own mail' };
}

/** A reason is kept and shown (quarantine records, logs); it quotes header values, which are anyone's to write. */
const MAX_REASON_LENGTH = 200;
const auditText = (reason: string): string => {
  const readable = withoutControlCharacters(reason);
  return readable.length > MAX_REASON_LENGTH ? `${readable.slice(0, MAX_REASON_LENGTH - 1)}…` : readable;
};

const values = (mail: InboundMail, name: string): readonly string[] => mail.headers.get(name) ?? [];
const firstValue = (mail: InboundMail, name: string): string | null => values(mail, name)[0] ?? null;
const has = (mail: InboundMail, name: string): boolean => values(mail, name).length > 0;
const localPart = (address: string): string =>
  address.includes('@') ? address.slice(0, address.lastIndexOf('@')) : address;

/** Top-level media type and the report-type parameter (RFC 6522 §3). */
function contentType(mail: InboundMail): { type: string; reportType: string | null } {
  const value = firstValue(mail, 'content-type') ?? '';
  const type = (/^\s*([\w.+-]+\/[\w.+-]+)/.exec(value)?.[1] ?? '').toLowerCase();
  const reportType = /report-type\s*=\s*"?([\w.-]+)/i.exec(value)?.[1]?.toLowerCase() ?? null;
  return { type, reportType };
}

// ---- bounces: delivery status notifications and non-delivery reports ----------------------

/** Local parts that only delivery systems send from (RFC 5321 §4.5.1 postmaster; MTA convention). */
const DELIVERY_SYSTEM_LOCAL_PARTS =
  /^(mailer-?daemon|mail-?daemon|postmaster|post_master|mail\.?delivery(\.?subsystem)?|mdaemon|mailerdaemon)$/i;

/** Display names MTAs give their bounces: Postfix "Mail Delivery System", Sendmail/Gmail "Mail Delivery Subsystem". */
const DELIVERY_SYSTEM_NAMES =
  /^(mail delivery (sub)?system|mailer[- ]daemon|mail administrator|internet mail delivery|postmaster|the post office)$/i;

/**
 * Subjects of non-delivery reports and delay warnings, as the MTAs write them, anchored at the
 * start: a customer who forwards a bounce ("Fwd: Undelivered Mail…") is asking for help.
 */
const BOUNCE_SUBJECTS: readonly RegExp[] = [
  /^undeliver(ed|able)\b/i, // Postfix "Undelivered Mail Returned to Sender", Exchange "Undeliverable: …"
  /^delivery status notification\b/i, // Gmail, Exchange, Hotmail "(Failure)", "(Delay)"
  /^delivery (status )?notification: /i, // Sun/Oracle Messaging Server, OpenSMTPD
  /^failure notice$/i, // qmail
  /^mail delivery failed\b/i, // Exim
  /^returned mail\b/i, // Sendmail
  /^warning: (could not send message|message .* delayed)/i, // Sendmail, Exim delay warnings
  /^delayed mail\b/i, // Postfix delay warning
  /^mail system error\b/i,
  /^(e-?mail )?delivery (failure|error|has failed)\b/i,
  /^(\[postmaster\] )?e-?mail delivery (failure|error)\b/i, // Mimecast
  /^message you sent blocked\b/i, // Barracuda
  /^\*\*message you sent blocked\b/i,
  /^non recapitabile\b/i, // Exchange, Italian
  /^(unzustellbar|nicht zustellbar)\b/i, // Exchange, German
  /^(no se puede entregar|mensaje no entregado|no entregado)\b/i, // Exchange, Spanish
  /^(não é possível entregar|mensagem não entregue|não entregue)\b/i, // Exchange, Portuguese
  /^(non distribuable|remise impossible)\b/i, // Exchange, French
  /^недоставленное сообщение(?![\p{L}\p{N}])/iu, // Yandex, Russian (\b is ASCII-only, even with u)
  /^ваше сообщение не доставлено/iu, // mail.ru
  /^notice: mail delivery status\b/i, // Courier
  /^email bounce notification\b/i,
  /^failed mail to\b/i,
];

const BOUNCE_RULES: readonly Rule[] = [
  (mail) => {
    const { type, reportType } = contentType(mail);
    if (type === 'multipart/report' && reportType === 'delivery-status')
      return 'multipart/report; report-type=delivery-status (RFC 3464 delivery status notification)';
    if (type === 'multipart/report' && reportType === 'feedback-report')
      return 'multipart/report; report-type=feedback-report (RFC 5965 abuse report about mail we sent)';
    if (type === 'message/delivery-status') return 'top-level message/delivery-status (RFC 3464)';
    return null;
  },
  // Exim names the recipients that failed; Exchange marks its own NDRs.
  (mail) => (has(mail, 'x-failed-recipients') ? 'X-Failed-Recipients header (Exim bounce)' : null),
  (mail) =>
    has(mail, 'x-ms-exchange-message-is-ndr') ? 'X-MS-Exchange-Message-Is-Ndr header (Exchange bounce)' : null,
  (mail) => {
    const from = mail.fromSource === 'from' ? mail.from : null;
    if (from && DELIVERY_SYSTEM_LOCAL_PARTS.test(localPart(from.address)))
      return `sent by the delivery system ${from.address}`;
    if (from?.name && DELIVERY_SYSTEM_NAMES.test(from.name)) return `sent by "${from.name}"`;
    return null;
  },
  (mail, context) => {
    const envelope = context.envelopeSender ?? mail.returnPath;
    return envelope && DELIVERY_SYSTEM_LOCAL_PARTS.test(localPart(envelope)) ? `envelope sender ${envelope}` : null;
  },
  (mail) => {
    const pattern = BOUNCE_SUBJECTS.find((subject) => subject.test(mail.subject));
    return pattern ? `non-delivery subject "${mail.subject.slice(0, 80)}"` : null;
  },
];

// ---- automatic replies (RFC 3834) and other automatic messages -----------------------------

/**
 * Subjects of out-of-office and autoresponder replies in the languages atende meets, anchored
 * at the start and followed by a colon or nothing: "Auto-reply settings do not work" is a
 * question, "Auto-reply: Re: …" is not.
 */
const AUTO_REPLY_SUBJECT =
  /^(automatic reply|auto[- ]?reply|auto[- ]?response|autorespons|out of (the )?office( auto[- ]?reply)?|away from (the )?office|respuesta automática|respuesta automatica|resposta automática|resposta automatica|réponse automatique|risposta automatica|automatische antwort|automatisch antwoord|abwesenheitsnotiz|abwesenheit|automatyczna odpowied[źzx]|odpowied[źz] automatyczna|автоответ|автоматический ответ|fuera de la oficina|fora do escritório|ausente|ausência temporária|vacation reply|on vacation|תשובה אוטומטית|מענה ['"״]?אני לא נמצא['"״]?|自动回复|自動回覆|自動応答)\s*([:：]|$)/iu;

/** Lotus Notes and others write a sentence rather than a prefix. */
const AUTO_REPLY_SENTENCE =
  /\b(is|am|are) (currently )?out of (the )?office\b|\bestá fuera de la oficina\b|\bestá ausente\b/i;

const SUPPRESS_VALUES = /\b(all|oof|autoreply)\b/i;

const AUTO_REPLY_RULES: readonly Rule[] = [
  (mail) => {
    // RFC 3834 §5: any value but "no" means automatic; §2: never answer it.
    const value = values(mail, 'auto-submitted').find((v) => !/^\s*no\s*(;|\(|$)/i.test(v));
    return value === undefined ? null : `Auto-Submitted: ${value} (RFC 3834 §5)`;
  },
  (mail) => {
    const name = [
      'x-autoreply',
      'x-autorespond',
      'x-autoresponder',
      'x-autoresponse',
      'x-mail-autoreply',
      'x-autogenerated',
      'x-vacation',
    ].find((header) => has(mail, header));
    return name === undefined ? null : `${name} header (autoresponder convention)`;
  },
  (mail) => {
    // MS-OXCMAIL §2.2.3.2.14: Exchange and Outlook set it on their own automatic messages.
    const value = values(mail, 'x-auto-response-suppress').find((v) => SUPPRESS_VALUES.test(v));
    return value === undefined ? null : `X-Auto-Response-Suppress: ${value} (Exchange automatic message)`;
  },
  (mail) => {
    // Exchange inbox rules and out-of-office replies carry these loop-detection headers.
    const name = ['x-ms-exchange-inbox-rules-loop', 'x-ms-exchange-generated-message-source'].find((header) =>
      has(mail, header),
    );
    return name === undefined ? null : `${name} header (Exchange rule or out-of-office reply)`;
  },
  (mail) => {
    // Not a standard (RFC 2076 §3.9 describes it), but autoresponders set it (RFC 3834 §3.1.8 cites it).
    const value = values(mail, 'precedence').find((v) => /^\s*auto_reply\b/i.test(v));
    return value === undefined ? null : `Precedence: ${value.trim()}`;
  },
  (mail) => {
    const { type, reportType } = contentType(mail);
    return type === 'multipart/report' && reportType === 'disposition-notification'
      ? 'read receipt (RFC 8098 message disposition notification)'
      : null;
  },
  (mail) =>
    AUTO_REPLY_SUBJECT.test(mail.subject) || AUTO_REPLY_SENTENCE.test(mail.subject)
      ? `auto-reply subject "${mail.subject.slice(0, 80)}"`
      : null,
];

// ---- mailing lists -------------------------------------------------------------------------

/** Robot and list-owner addresses (RFC 3834 §2 names owner-*, *-request; RFC 2142 §4 the robots). */
const LIST_LOCAL_PARTS = /^(owner-.+|.+-owner|.+-request|.+-bounces(\+.*)?|listserv|majordomo|mailman|sympa|ezmlm)$/i;

/**
 * A list robot's address in a Sender value: `owner-…@` or `…-request@` / `-bounces@` / `-owner@`.
 * The local part is read back at most RFC 5321's 64 octets: unbounded, the pattern retried the
 * rest of a long value from every word start (a 200 KB Sender took seconds).
 */
const LIST_SENDER = new RegExp(
  `\\b(owner-[^@\\s]{1,${MAX_LOCAL_PART_LENGTH}}|[^@\\s<]{1,${MAX_LOCAL_PART_LENGTH}}-(request|bounces|owner))@`,
  'i',
);

const LIST_RULES: readonly Rule[] = [
  (mail) => (has(mail, 'list-id') ? `List-Id: ${firstValue(mail, 'list-id')} (RFC 2919)` : null),
  (mail) =>
    has(mail, 'mailing-list') || has(mail, 'x-mailing-list') ? 'Mailing-List header (ezmlm, list servers)' : null,
  (mail) => {
    // Precedence (RFC 2076 §3.9): list and bulk mail goes to many; junk is bulk nobody asked for.
    const precedence = values(mail, 'precedence')
      .find((v) => /^\s*(list|bulk|junk)\b/i.test(v))
      ?.trim();
    if (precedence === undefined) return null;
    return has(mail, 'list-unsubscribe')
      ? `List-Unsubscribe with Precedence: ${precedence} (RFC 2369)`
      : `Precedence: ${precedence}`;
  },
  (mail, context) => {
    const sender = firstValue(mail, 'sender');
    const address = context.envelopeSender ?? mail.returnPath ?? '';
    if (LIST_LOCAL_PARTS.test(localPart(address))) return `list envelope sender ${address}`;
    return sender !== null && LIST_SENDER.test(sender) ? `list Sender: ${sender}` : null;
  },
];

// ---- our own mail ----------------------------------------------------------------------------

const OWN_MAIL_RULES: readonly Rule[] = [
  (mail) => (has(mail, ATENDE_TICKET_HEADER.toLowerCase()) ? `${ATENDE_TICKET_HEADER} header (sent by atende)` : null),
  (mail, context) => {
    const own = new Set(context.ownAddresses.map((address) => address.toLowerCase()));
    const from = mail.from?.address;
    return from !== undefined && own.has(from) ? `sent from our own address ${from}` : null;
  },
  (mail, context) => {
    const domain = context.ownMessageIdDomain?.toLowerCase();
    if (!domain || mail.messageId === null) return null;
    const right = /@([^@>]+)>$/.exec(mail.messageId)?.[1]?.toLowerCase();
    return right === domain ? `Message-ID from our own domain ${domain}` : null;
  },
];

function nullReversePath(mail: InboundMail, context: ClassificationContext): string | null {
  if (context.envelopeSender === '') return 'null envelope sender <> (RFC 5321 §4.5.5)';
  return mail.returnPath === '' ? 'Return-Path: <> (RFC 5321 §4.5.5)' : null;
}

// ---- no-reply senders ------------------------------------------------------------------------

/** Local parts that say "do not answer": no-reply@, noreply@, do-not-reply@, donotreply@, no_reply@ … */
const NO_REPLY_LOCAL_PART =
  /^(no|do-?not|dont)[-_.]?reply([-_.+].*)?$|^(noreply|donotreply|no-?response|notifications?-?noreply)([-_.+].*)?$|^bounces?([-_.+].*)?$/i;

/** True when an address cannot or asks not to be answered: no-reply senders, local-only addresses. */
export function isNoReplyAddress(address: string | null | undefined): boolean {
  if (!address?.includes('@')) return true;
  return NO_REPLY_LOCAL_PART.test(localPart(address)) || DELIVERY_SYSTEM_LOCAL_PARTS.test(localPart(address));
}

/**
 * Whether a message asks not to be answered automatically: the address a reply would go to
 * (Reply-To first, RFC 5322 §3.6.2, else From) is a no-reply address, or there is none.
 * A web-form notification from noreply@shop with `Reply-To: customer@…` can be answered.
 */
export function asksNotToBeAutoAnswered(mail: InboundMail): boolean {
  const target = mail.replyTo[0]?.address ?? (mail.fromSource === 'from' ? mail.from?.address : null);
  return isNoReplyAddress(target);
}
