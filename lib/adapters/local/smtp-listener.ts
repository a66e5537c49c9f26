import { createHash, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerAuthentication,
  type SMTPServerAuthenticationResponse,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import type { InboundEmail, IngestResult } from '../../application/ingest-email.ts';
import type { RawMailStore } from '../../application/ports/raw-mail-store.ts';
import { DEFAULT_MAIL_LIMITS } from '../../domain/mail/mail-limits.ts';
import type { SmtpUsers } from './local-stack-config.ts';
import type { SmtpSpool } from './smtp-spool.ts';

export interface SmtpListenerOptions {
  readonly port: number;
  readonly host?: string;
  readonly rawMail: RawMailStore;
  /** The same path SES takes: called once the raw message is stored. */
  readonly ingest: (inbound: InboundEmail) => Promise<IngestResult>;
  /**
   * The envelope recipients the desk serves (the policy's support addresses, lower-cased). Any
   * other `RCPT TO` gets 550, as SES accepts only the receipt rule's recipients.
   */
  readonly acceptedRecipients: readonly string[];
  /** SMTP AUTH users (ATENDE_SMTP_USERS); without any, every AUTH attempt fails with 535. */
  readonly users?: SmtpUsers;
  /** Where the mail in hand is recorded, so that a restart after a crash finishes it (resumeSpooledMail). */
  readonly spool?: SmtpSpool;
  /** The largest message taken; default DEFAULT_MAIL_LIMITS.maxRawBytes. */
  readonly maxMessageBytes?: number;
  readonly log?: (line: string) => void;
}

export interface SmtpListener {
  readonly port: number;
  stop(): Promise<void>;
}

/** An SMTP reply the client sees, with its code: 5xx is final, 4xx asks the client to try again. */
const smtpReply = (responseCode: number, message: string): Error => Object.assign(new Error(message), { responseCode });

/**
 * The receipt key of a mail: a hash of envelope and bytes, so a client that re-sends after a
 * temporary failure is recognised like an SES redelivery. Mail submitted with AUTH hashes the
 * identity too (the same bytes from two users are two events), under a prefix of its own so no
 * choice of bytes submitted without AUTH can produce the key of a mail submitted with it.
 */
export function smtpReceiptKey(mail: {
  readonly envelopeSender: string;
  readonly recipients: readonly string[];
  readonly submittedBy: string | null;
  readonly raw: Uint8Array;
}): string {
  const hash = createHash('sha256');
  if (mail.submittedBy === null) {
    hash.update(mail.envelopeSender).update('\n').update(mail.recipients.join(',')).update('\n').update(mail.raw);
    return `smtp-${hash.digest('hex').slice(0, 40)}`;
  }
  // Each field with its length first: no field can run into the next.
  for (const field of [mail.submittedBy, mail.envelopeSender, mail.recipients.join(',')])
    hash.update(`${Buffer.byteLength(field)}:${field}\n`);
  hash.update(mail.raw);
  return `smtp-auth-${hash.digest('hex').slice(0, 40)}`;
}

/** Compares digests of equal length in constant time, so the reply time does not tell how much of a secret was right. */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

/**
 * A real SMTP listener (smtp-server) for the local stack: it plays SES's receipt rule and, with
 * SMTP AUTH, SES's sender authentication.
 *
 * - `RCPT TO` an address the desk does not serve: 550.
 * - AUTH PLAIN or LOGIN with an ATENDE_SMTP_USERS secret: the mail is ingested with
 *   `submittedBy` (the lower-cased address); a wrong secret gets 535, and a session whose AUTH
 *   failed may not send until it authenticates (530), so a client that ignores the 535 does not
 *   slip its mail in as a customer's. AUTH is optional: mail without it is a customer's.
 * - Durability: the raw message is stored (the store makes it durable before it returns), then
 *   ingested, and only when ingest has returned does the client get 250. Any failure on the way
 *   is a 451, so the client keeps the mail and tries again; what cannot be processed at all is
 *   quarantined by the use case, not refused here. While a mail is in hand it has an entry in
 *   the spool, so that a restart after a crash finishes it (smtp-spool.ts).
 */
export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const log = options.log ?? (() => {});
  const users = options.users ?? new Map<string, string>();
  const accepted = new Set(options.acceptedRecipients.map((address) => address.toLowerCase()));
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAIL_LIMITS.maxRawBytes;
  /** Sessions (one per connection) whose last AUTH attempt failed. */
  const failedAuth = new WeakSet<SMTPServerSession>();

  const server = new SMTPServer({
    name: 'atende.local',
    banner: 'atende local SMTP listener',
    authOptional: true,
    authMethods: ['PLAIN', 'LOGIN'],
    // Loopback only and no certificates to manage: plain SMTP, as a development relay, so AUTH
    // must be allowed without TLS. Never listen on a public interface with this.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: maxMessageBytes,
    logger: false,
    onAuth(
      auth: SMTPServerAuthentication,
      session: SMTPServerSession,
      callback: (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
    ) {
      const address = (auth.username ?? '').trim().toLowerCase();
      const secret = users.get(address);
      // RFC 4616: an authorization identity other than the authenticated one asks to act as
      // someone else, which nobody may do here.
      const actsAsOther = auth.authzid !== undefined && auth.authzid !== '' && auth.authzid.toLowerCase() !== address;
      // Unknown users are compared too, against their own name, so they take as long as known ones.
      const right = sameSecret(auth.password ?? '', secret ?? address) && secret !== undefined && !actsAsOther;
      if (!right) {
        failedAuth.add(session);
        log(`smtp: AUTH ${auth.method} refused for ${address || '<none>'}`);
        callback(smtpReply(535, 'Authentication credentials invalid'));
        return;
      }
      failedAuth.delete(session);
      callback(null, { user: address });
    },
    onMailFrom(_address: SMTPServerAddress, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      if (failedAuth.has(session) && !session.user)
        callback(smtpReply(530, 'Authentication failed in this session: authenticate again, or reconnect'));
      else callback();
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (error?: Error | null) => void) {
      if (accepted.has(address.address.toLowerCase())) callback();
      else callback(smtpReply(550, `No such mailbox here: ${address.address} is not a support address`));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      void receive(stream, session)
        .then(() => callback())
        .catch((error: unknown) => {
          if (error instanceof MessageTooLarge) {
            callback(smtpReply(552, error.message));
            return;
          }
          log(`smtp: could not take a message: ${error instanceof Error ? error.message : String(error)}`);
          callback(smtpReply(451, 'Temporary failure, please try again later'));
        });
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readUpTo(stream, maxMessageBytes);
    const recipients = session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase());
    const envelopeSender = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
    const submittedBy = typeof session.user === 'string' && session.user !== '' ? session.user : null;
    const key = smtpReceiptKey({ envelopeSender, recipients, submittedBy, raw });
    await options.rawMail.put(key, raw);
    const inbound: InboundEmail = {
      receiptKey: key,
      rawKey: key,
      recipients,
      envelopeSender,
      verdicts: {},
      submittedBy,
    };
    const held = await options.spool?.hold(inbound);
    let result: IngestResult;
    try {
      result = await options.ingest(inbound);
    } finally {
      // Answered either way (250, or 451 and the client retries): no longer this process's to finish.
      if (held !== undefined) await options.spool?.release(held);
    }
    log(
      `smtp: ${key} from ${envelopeSender || '<>'}${submittedBy ? ` (AUTH ${submittedBy})` : ''} to ${recipients.join(', ')}: ${JSON.stringify(result)}`,
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`smtp: ${error.message}`));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

class MessageTooLarge extends Error {}

/**
 * The message, or MessageTooLarge once it passes the limit. The rest of an oversized message is
 * drained, not kept: a client must not be able to make the listener buffer gigabytes.
 */
async function readUpTo(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    if (size <= maxBytes) chunks.push(bytes);
    else chunks.length = 0;
  }
  if (size > maxBytes) throw new MessageTooLarge(`Message too large: the limit is ${maxBytes} bytes`);
  return Buffer.concat(chunks);
}
