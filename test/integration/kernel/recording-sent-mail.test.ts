import { InternalServerError } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORD_SENT_MAIL_ATTEMPTS } from '../../../lib/application/settle-owed-effects.ts';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';
import { MINUTE } from '../../support/policy-fixtures.ts';

/**
 * Recording settled mail runs after the mail left: if it fails and the event is delivered again,
 * the mail goes out twice. On DynamoDB Local, with the recording transaction (the one that
 * updates the receipt) failed by a middleware above the SDK's retries, as one the SDK's own
 * retries did not cure would be.
 */
const tables = testTicketTables();
afterAll(() => tables.dropAll());

type Failure = 'before' | 'after';

/** Fails the next `count` recordings of settled mail: before they reach the table, or after (the answer lost). */
async function withFailingRecordings(count: number, when: Failure) {
  const table = await tables.create();
  let left = count;
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: { Update?: unknown }[] }).TransactItems ?? [];
      const recording = context.commandName === 'TransactWriteItemsCommand' && items.some((item) => item.Update);
      if (!recording || left === 0) return next(args);
      left -= 1;
      if (when === 'after') await next(args);
      throw new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });
    },
    { step: 'initialize', name: 'failRecordings', priority: 'high' },
  );
  return pipeline('default.yaml', { store: table.store });
}

describe('mail recorded after it was sent', () => {
  it.each<Failure>(['before', 'after'])(
    'is recorded once when DynamoDB fails the recording %s it reached the table, and a redelivery sends nothing again',
    async (when) => {
      const { receive, mailer, clock, store } = await withFailingRecordings(RECORD_SENT_MAIL_ATTEMPTS - 1, when);

      const result = await receive({}, { key: 'ses-recorded' });
      clock.advance(3 * MINUTE);
      const again = await receive({}, { key: 'ses-recorded' });

      expect(result).toMatchObject({ outcome: 'created', sent: ['acknowledgement', 'agent-new-ticket'] });
      expect(again).toMatchObject({ outcome: 'duplicate', sent: [] });
      expect(mailer.sent).toHaveLength(2);
      const messages = await store.listMessages(1000);
      expect(
        messages.filter((message) => message.direction === 'outbound').map((message) => message.messageId),
      ).toEqual(mailer.sent.map((mail) => mail.messageId));
      expect(await store.getReceipt('ses-recorded')).toMatchObject({ owed: [], completedAt: expect.any(String) });
    },
  );

  it(`fails the event after ${RECORD_SENT_MAIL_ATTEMPTS} failed recordings: the window in which a redelivery repeats the mail`, async () => {
    const { receive, mailer, clock } = await withFailingRecordings(RECORD_SENT_MAIL_ATTEMPTS, 'before');

    await expect(receive({}, { key: 'ses-window' })).rejects.toMatchObject({ code: 'store.unavailable' });
    clock.advance(3 * MINUTE);
    const again = await receive({}, { key: 'ses-window' });

    expect(again).toMatchObject({ outcome: 'duplicate', sent: ['acknowledgement', 'agent-new-ticket'] });
    expect(mailer.sent).toHaveLength(4);
  });
});
