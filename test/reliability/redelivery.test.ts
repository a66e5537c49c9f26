import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/ingest-mail-generator.ts';
import { type DeliveryOptions, type DeliveryReport, deliverAgain, deliverHour } from '../support/busy-hour.ts';
import { testTicketTables } from '../support/dynamodb-test-table.ts';
import { generateMail } from '../support/generated-mail.ts';
import { pipeline } from '../support/ingest-pipeline.ts';
import { balance, describeRun, takeStock } from '../support/reliability-ledger.ts';
import { printFigures, reliabilitySeed, reliabilityTimeout, sized } from '../support/reliability-size.ts';

/**
 * SES and Lambda deliver at least once: every event of a busy hour delivered three times under
 * its receipt key, all in order, or shuffled with some copies at the same instant, must leave
 * what one delivery of each leaves: the same tickets holding the same mail, the same mail sent,
 * nothing twice. A copy told `inbound.inProgress` (another copy holds the receipt) comes back
 * after the lease, as Lambda's retry would.
 */
const tables = testTicketTables();
afterAll(() => tables.dropAll());

const MESSAGES = sized({ ci: 120, full: 1_000 });
const CONCURRENCY = 32;
const COPIES = 3;
const SEED = reliabilitySeed();
const hour = generateMail({ messages: MESSAGES, seed: SEED });

async function newRun() {
  const table = await tables.create();
  const setup = pipeline('default.yaml', { store: table.store });
  const options: DeliveryOptions = {
    concurrency: CONCURRENCY,
    deliver: (mail) => setup.receive(mail.raw, { key: mail.key, verdicts: mail.verdicts }),
    clock: setup.clock,
    maxAttempts: 2 * COPIES,
  };
  const outcome = async (reports: readonly DeliveryReport[]) => {
    const delivered = reports[0]!.delivered;
    const stock = await takeStock(setup.store, setup.policy, setup.mailer, delivered);
    return {
      reports,
      delivered,
      accounts: balance(stock, delivered),
      description: describeRun(stock, delivered, setup.policy),
    };
  };
  return { ...setup, options, outcome };
}

let once: ReturnType<typeof singleDelivery> | undefined;
/** Each event delivered once: what three deliveries must match. */
const singleDelivery = async () => {
  const run = await newRun();
  return run.outcome([await deliverHour(hour, run.store, run.options)]);
};
const baseline = () => {
  once ??= singleDelivery();
  return once;
};

const figures = (name: string, outcome: Awaited<ReturnType<typeof singleDelivery>>) => {
  const deliveries = outcome.reports.reduce((sum, report) => sum + report.deliveries, 0);
  const failures = outcome.reports.flatMap((report) => Object.entries(report.failures));
  printFigures(`redelivery ${name}`, {
    seed: SEED,
    messages: outcome.accounts.messages,
    deliveries,
    toldInProgress: failures
      .filter(([code]) => code === 'inbound.inProgress')
      .reduce((sum, [, count]) => sum + count, 0),
    tickets: outcome.accounts.tickets,
    lost: outcome.accounts.lost,
    duplicated: outcome.accounts.duplicatedTickets + outcome.accounts.duplicatedMail,
    mailSent: outcome.accounts.mailSent,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
};

describe(`every event of ${MESSAGES} mails delivered ${COPIES} times`, () => {
  it(
    'leaves the same tickets and the same mail as one delivery when the copies come in order',
    async () => {
      const single = await baseline();
      const run = await newRun();

      const first = await deliverHour(hour, run.store, run.options);
      const again = [];
      for (let copy = 2; copy <= COPIES; copy += 1) again.push(await deliverAgain(first.delivered, run.options));
      const outcome = await run.outcome([first, ...again]);
      figures('in order', outcome);

      expect(single.accounts.problems).toEqual([]);
      expect(outcome.accounts.problems).toEqual([]);
      expect(outcome.description).toEqual(single.description);
      expect(again.map((report) => report.gaveUp)).toEqual([[], []]);
      expect(outcome.accounts).toMatchObject({ lost: 0, duplicatedTickets: 0, duplicatedMail: 0 });
    },
    reliabilityTimeout(),
  );

  it(
    'leaves the same tickets and the same mail when the copies are shuffled, some at the same instant',
    async () => {
      const single = await baseline();
      const run = await newRun();
      const random = seededRandom(SEED);

      // Each mail's first copy comes as planned; of the two others, either may come with it, at the
      // same instant, or anywhere later in the queue (even ahead of mail planned before it).
      const report = await deliverHour(hour, run.store, {
        ...run.options,
        redeliver: (due) => {
          const copies = due.map((mail) => ({ mail, alongside: Math.floor(random() * COPIES) }));
          return [
            {
              together: [...due, ...copies.flatMap(({ mail, alongside }) => Array(alongside).fill(mail))],
              place: null,
            },
            ...copies.flatMap(({ mail, alongside }) =>
              Array.from({ length: COPIES - 1 - alongside }, () => ({ together: [mail], place: random() })),
            ),
          ];
        },
      });
      const outcome = await run.outcome([report]);
      figures('shuffled', outcome);

      expect(report.deliveries).toBeGreaterThanOrEqual(COPIES * hour.messages);
      expect(report.gaveUp).toEqual([]);
      expect(outcome.accounts.problems).toEqual([]);
      expect(outcome.description).toEqual(single.description);
      expect(outcome.accounts).toMatchObject({ lost: 0, duplicatedTickets: 0, duplicatedMail: 0 });
    },
    reliabilityTimeout(),
  );
});
