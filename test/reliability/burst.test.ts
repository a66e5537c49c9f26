import { afterAll, describe, expect, it } from 'vitest';
import { deliverHour } from '../support/busy-hour.ts';
import { testTicketTables } from '../support/dynamodb-test-table.ts';
import { generateMail } from '../support/generated-mail.ts';
import { pipeline } from '../support/ingest-pipeline.ts';
import { balance, takeStock } from '../support/reliability-ledger.ts';
import { printFigures, reliabilitySeed, reliabilityTimeout, sized } from '../support/reliability-size.ts';

/**
 * A busy hour arriving at once: new requests, two mails of one new thread at the same instant,
 * answers to the acknowledgements (replies, the subject tag, out-of-offices, bounces) as soon as
 * they are out, and mail that belongs to no ticket, in English, Spanish and Portuguese, through
 * the kernel at Lambda-like concurrency on DynamoDB Local; and, an hour later, mail that was
 * delayed on its way while a colleague's reply to it overtook it.
 */
const tables = testTicketTables();
afterAll(() => tables.dropAll());

const MESSAGES = sized({ ci: 200, full: 1_000 });
const CONCURRENCY = 32;
const SEED = reliabilitySeed();

describe(`a burst of ${MESSAGES} mails at concurrency ${CONCURRENCY}`, () => {
  it(
    'accounts for every mail, one ticket per thread under distinct numbers, and one acknowledgement per ticket',
    async () => {
      const table = await tables.create();
      const { store, policy, mailer, clock, receive } = pipeline('default.yaml', { store: table.store });
      const hour = generateMail({ messages: MESSAGES, seed: SEED });
      const started = performance.now();

      const run = await deliverHour(hour, store, {
        concurrency: CONCURRENCY,
        deliver: (mail) => receive(mail.raw, { key: mail.key, verdicts: mail.verdicts }),
        clock,
        maxAttempts: 1,
      });
      const seconds = (performance.now() - started) / 1000;
      const accounts = balance(await takeStock(store, policy, mailer, run.delivered), run.delivered);

      printFigures('burst', {
        seed: SEED,
        messages: accounts.messages,
        threads: hour.threads.length,
        tickets: accounts.tickets,
        quarantined: accounts.quarantined,
        lost: accounts.lost,
        duplicated: accounts.duplicatedTickets + accounts.duplicatedMail,
        mailSent: accounts.mailSent,
        concurrency: CONCURRENCY,
        seconds: seconds.toFixed(1),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      });
      // Without faults no delivery fails: two mails of one thread meet as a claim, not as an error.
      expect(run.failures).toEqual({});
      expect(run.delivered).toHaveLength(hour.messages);
      expect(accounts.problems).toEqual([]);
      expect(accounts).toMatchObject({
        lost: 0,
        duplicatedTickets: 0,
        duplicatedMail: 0,
        tickets: hour.threads.length,
        quarantined: hour.strays.length,
      });
      const acknowledgements = mailer.sent.filter((mail) => mail.autoSubmitted === 'auto-replied');
      expect(acknowledgements).toHaveLength(hour.threads.length);
    },
    reliabilityTimeout(),
  );
});
