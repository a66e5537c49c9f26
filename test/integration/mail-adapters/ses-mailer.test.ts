import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SesMailer } from '../../../lib/adapters/mail/ses-mailer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { motoClientConfig, useMotoServer } from '../../support/moto-server.ts';
import { acknowledgement } from '../../unit/mail-adapters/outgoing-mail-fixtures.ts';

const moto = useMotoServer();
let client: SESv2Client;

beforeAll(async () => {
  client = new SESv2Client(motoClientConfig(moto().endpoint));
  // Like SES in the sandbox, moto sends only from a verified identity (v1 and v2 share its identities).
  const v1 = new SESClient(motoClientConfig(moto().endpoint));
  await v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'servicedesk@example.com' }));
  v1.destroy();
});
afterAll(() => {
  // Unset when moto_server failed to start; that failure is the one to report.
  client?.destroy();
});

/** What moto kept of each raw send (SES v2 SendEmail with Content.Raw) (its internal state, `GET /moto-api/data.json`). */
const SentRaw = z.object({
  id: z.string(),
  source: z.string(),
  destinations: z.array(z.string()),
  raw_data: z.string(),
});
const sentByMoto = async () => {
  const answer = await fetch(`${moto().endpoint}/moto-api/data.json`);
  const state = z.object({ ses: z.object({ RawMessage: z.array(SentRaw) }) }).parse(await answer.json());
  return state.ses.RawMessage;
};

describe('SesMailer against moto', () => {
  it('sends the composed message and returns the Message-ID SES gives it in us-east-1', async () => {
    const mailer = new SesMailer({ client });

    const { messageId } = await mailer.send({
      ...acknowledgement,
      subject: '[Atende #1042] Não consigo acessar — ¿ayuda?',
    });

    const match = /^<(.+)@email\.amazonses\.com>$/.exec(messageId);
    expect(match).not.toBeNull();
    const sent = (await sentByMoto()).find((entry) => entry.id === match?.[1]);
    expect(sent?.source).toBe('servicedesk@example.com');
    // moto appends the recipients it parses from the To and Cc headers after the Destinations we passed.
    expect(sent?.destinations.slice(0, 2)).toEqual(['ana.souza@cliente.example', 'ops@cliente.example']);
    const parsed = await simpleParser(sent?.raw_data ?? '');
    expect(parsed.subject).toBe('[Atende #1042] Não consigo acessar — ¿ayuda?');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.inReplyTo).toBe('<CAF=abc123@mail.cliente.example>');
  });

  it("turns SES's refusal of an unverified sender into mail.rejected", async () => {
    const mailer = new SesMailer({ client });

    const error = await mailer.send({ ...acknowledgement, from: { address: 'stranger@unverified.example' } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(isAtendeError(error, 'mail.rejected')).toBe(true);
    expect(isAtendeError(error) && error.details['sesError']).toBe('MessageRejected');
  });
});
