import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { InboundEmail, IngestResult } from '../../application/ingest-email.ts';
import type { RawMailStore } from '../../application/ports/raw-mail-store.ts';
import { DEFAULT_MAIL_LIMITS } from '../../domain/mail/mail-limits.ts';

export interface SmtpListenerOptions {
  readonly port: number;
  readonly host?: string;
  readonly rawMail: RawMailStore;
  /** The same path SES takes: called once the raw message is stored. */
  readonly ingest: (inbound: InboundEmail) => Promise<IngestResult>;
  readonly log?: (line: string) => void;
}

export interface SmtpListener {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * A real SMTP listener (smtp-server) for the local stack: it plays SES's receipt rule. Every
 * accepted message is stored raw first, then ingested with the envelope recipients. The key is a
 * hash of envelope and bytes, so a client that re-sends after a temporary failure is recognised
 * like an SES redelivery. A message that cannot be ingested for a transient reason gets a 451,
 * so the client tries again; what cannot be processed at all is quarantined by the use case.
 */
export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const log = options.log ?? (() => {});
  const server = new SMTPServer({
    name: 'atende.local',
    banner: 'atende local SMTP listener',
    authOptional: true,
    // Loopback only and no certificates to manage: plain SMTP, as a development relay.
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: DEFAULT_MAIL_LIMITS.maxRawBytes,
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      void receive(stream, session)
        .then(() => callback())
        .catch((error: unknown) => {
          log(`smtp: could not take a message: ${error instanceof Error ? error.message : String(error)}`);
          callback(Object.assign(new Error('Temporary failure, please try again later'), { responseCode: 451 }));
        });
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readAll(stream);
    if (stream.sizeExceeded) throw Object.assign(new Error('Message too large'), { responseCode: 552 });
    const recipients = session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase());
    const envelopeSender = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
    const key = `smtp-${createHash('sha256').update(envelopeSender).update('\n').update(recipients.join(',')).update('\n').update(raw).digest('hex').slice(0, 40)}`;
    await options.rawMail.put(key, raw);
    const result = await options.ingest({ receiptKey: key, rawKey: key, recipients, envelopeSender, verdicts: {} });
    log(`smtp: ${key} from ${envelopeSender || '<>'} to ${recipients.join(', ')}: ${JSON.stringify(result)}`);
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

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
