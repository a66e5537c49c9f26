import { afterAll, describe, expect, it } from 'vitest';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { buildMail } from '../../support/mail-builder.ts';
import { HOUR } from '../../support/policy-fixtures.ts';

/**
 * Mails of one new thread processed at the same instant, as two Lambdas would, on DynamoDB Local:
 * the thread claims written with a new ticket make them one ticket.
 */
const tables = testTicketTables();
afterAll(() => tables.dropAll());

const TRIALS = 8;

async function trial(mails: Buffer[]) {
  const table = await tables.create();
  const setup = pipeline('default.yaml', { store: table.store });
  const results = await Promise.all(mails.map((mail) => setup.receive(mail)));
  const tickets = await setup.store.ticketsOfQueue('servicedesk');
  return { ...setup, results, tickets };
}

describe('mails of one new thread that arrive together', () => {
  it(`give one ticket and one acknowledgement when one sender writes twice on one subject (${TRIALS} trials)`, async () => {
    for (let run = 0; run < TRIALS; run += 1) {
      const { tickets, sentTo, results } = await trial([
        buildMail({ subject: 'Printer offline', text: 'The printer is offline.' }),
        buildMail({ subject: 'Printer offline', text: 'Also: it shows error E-42.' }),
      ]);

      expect(tickets, JSON.stringify(results)).toHaveLength(1);
      expect(tickets[0]!.messageCount).toBeGreaterThanOrEqual(4);
      expect(sentTo('ana@customer.example')).toHaveLength(1);
      expect(results.map((result) => result.outcome).sort()).toEqual(['created', 'threaded']);
    }
  });

  it(`give one ticket for a mail and its reply, whichever commits first (${TRIALS} trials)`, async () => {
    for (let run = 0; run < TRIALS; run += 1) {
      const first = `<first-${run}@mail.customer.example>`;
      const { tickets, results } = await trial([
        buildMail({
          from: 'ana@customer.example',
          cc: 'bob@customer.example',
          subject: 'Invoice 2231',
          messageId: first,
        }),
        buildMail({
          from: 'bob@customer.example',
          cc: 'ana@customer.example',
          subject: 'Re: the invoice, once more',
          inReplyTo: first,
          references: first,
        }),
      ]);

      expect(tickets, JSON.stringify(results)).toHaveLength(1);
      expect(results.map((result) => result.outcome).sort()).toEqual(['created', 'threaded']);
    }
  });

  it(`give one ticket for the same raw mail without a Message-ID delivered three times at once (${TRIALS} trials)`, async () => {
    for (let run = 0; run < TRIALS; run += 1) {
      const raw = buildMail({
        messageId: null,
        subject: `No id ${run}`,
        text: 'Written by a tool that sets no Message-ID.',
      });
      const { tickets, results, mailer } = await trial([raw, raw, raw]);

      expect(tickets, JSON.stringify(results)).toHaveLength(1);
      expect(results.map((result) => result.outcome).sort()).toEqual(['created', 'duplicate', 'duplicate']);
      expect(tickets[0]!.messageCount).toBe(3);
      expect(mailer.sent).toHaveLength(2);
    }
  });
});

describe('a reply that overtakes the mail it answers', () => {
  it('puts the mail, delayed on its way by an hour, on the ticket its reply opened', async () => {
    const table = await tables.create();
    const { receive, clock, store } = pipeline('default.yaml', { store: table.store });
    const original = '<delayed@mail.customer.example>';

    const reply = await receive(
      buildMail({
        from: 'bob@customer.example',
        cc: 'ana@customer.example',
        subject: 'Re: Invoice 2231',
        inReplyTo: original,
        references: original,
      }),
    );
    clock.advance(HOUR);
    const late = await receive(
      buildMail({
        from: 'ana@customer.example',
        cc: 'bob@customer.example',
        subject: 'Invoice 2231',
        messageId: original,
      }),
    );

    expect(late).toMatchObject({ outcome: 'threaded', ticketNumber: ticketNumberOf(reply), via: 'message-id' });
    expect(await store.ticketsOfQueue('servicedesk')).toHaveLength(1);
  });
});
