import { afterAll, describe, expect, it } from 'vitest';
import { deliverHour } from '../support/busy-hour.ts';
import { testTicketTables } from '../support/dynamodb-test-table.ts';
import { FaultInjection } from '../support/fault-injection.ts';
import { generateMail } from '../support/generated-mail.ts';
import { pipeline } from '../support/ingest-pipeline.ts';
import { balance, takeStock } from '../support/reliability-ledger.ts';
import { printFigures, reliabilitySeed, reliabilityTimeout, sized } from '../support/reliability-size.ts';

/**
 * A busy hour on a bad day: a tenth of the DynamoDB calls fail (throttled, a 5xx, a timeout;
 * some after the write reached the table, the answer lost) and a tenth of the SES sends fail
 * (for a while, for good, or after SES took the mail). Each failed event is delivered again, as
 * Lambda would, until it goes through. Then nothing is lost, no thread has two tickets, every
 * mail refused for good is recorded on its ticket, and a mail is sent twice only where SES took
 * it and its answer was lost: the window the README names (sent, not yet recorded), in which
 * nobody can know the mail left, so it is sent again rather than risk never sending it.
 *
 * The faults are drawn from a seed (printed; set ATENDE_RELIABILITY_SEED to replay one).
 */
const tables = testTicketTables();
afterAll(() => tables.dropAll());

const MESSAGES = sized({ ci: 150, full: 1_000 });
const CONCURRENCY = 32;
const FAULT_RATES = { store: 0.1, mail: 0.1 };
/** Far beyond Lambda's two retries: the suite wants every event through, to count what was lost. */
const MAX_ATTEMPTS = 40;
const SEED = reliabilitySeed();

describe(`a busy hour of ${MESSAGES} mails with ${FAULT_RATES.store * 100} % of DynamoDB calls and ${FAULT_RATES.mail * 100} % of SES sends failing`, () => {
  it(
    'loses nothing, duplicates no ticket, records every refused mail on its ticket, and repeats a mail only when its answer was lost',
    async () => {
      const faults = new FaultInjection(SEED, FAULT_RATES);
      const table = await tables.create();
      faults.failStoreCalls(table.client);
      const { store, policy, mailer, clock, receive } = pipeline('default.yaml', {
        store: table.store,
        mailer: (recording) => faults.failSends(recording),
      });
      const hour = generateMail({ messages: MESSAGES, seed: SEED });
      const attempts = new Map<string, number>();
      const started = performance.now();

      const run = await deliverHour(hour, store, {
        concurrency: CONCURRENCY,
        deliver: (mail) => {
          const attempt = (attempts.get(mail.key) ?? 0) + 1;
          attempts.set(mail.key, attempt);
          return faults.during(mail.key, attempt, () => receive(mail.raw, { key: mail.key, verdicts: mail.verdicts }));
        },
        clock,
        maxAttempts: MAX_ATTEMPTS,
      });
      const seconds = (performance.now() - started) / 1000;
      const stock = await takeStock(store, policy, mailer, run.delivered);
      const accounts = balance(stock, run.delivered, { unrecordedSends: faults.answerLost });
      const failedOnTickets = stock.tickets.flatMap(({ messages }) =>
        messages.flatMap((message) =>
          message.delivery?.status === 'failed'
            ? [
                {
                  ticketNumber: message.ticketNumber,
                  to: message.to[0],
                  subject: message.subject,
                  code: message.delivery.code,
                },
              ]
            : [],
        ),
      );
      const sum = (counts: Partial<Record<string, number>>): number =>
        Object.values(counts).reduce<number>((total, count) => total + (count ?? 0), 0);

      printFigures('faults', {
        seed: SEED,
        messages: accounts.messages,
        tickets: accounts.tickets,
        lost: accounts.lost,
        duplicated: accounts.duplicatedTickets,
        mailRepeated: accounts.duplicatedMail,
        answersLost: faults.answerLost.size,
        storeFaults: sum(faults.injected.store),
        mailFaults: sum(faults.injected.mail),
        refusedForGood: faults.refused.length,
        deliveries: run.deliveries,
        retryRounds: run.retryRounds,
        unwritten: run.unwritten,
        seconds: seconds.toFixed(1),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      });
      process.stdout.write(`reliability faults: injected ${JSON.stringify(faults.injected)}\n`);
      process.stdout.write(`reliability faults: deliveries failed ${JSON.stringify(run.failures)}\n`);

      expect(run.gaveUp).toEqual([]);
      expect(run.delivered).toHaveLength(hour.messages - run.unwritten);
      expect(accounts.problems).toEqual([]);
      expect(accounts).toMatchObject({ lost: 0, duplicatedTickets: 0, tickets: hour.threads.length });
      // A mail is repeated once for each answer lost after SES took it, and for nothing else.
      expect(accounts.duplicatedMail).toBe(faults.answerLost.size);
      expect(failedOnTickets.sort(byTicketAndSubject)).toEqual([...faults.refused].sort(byTicketAndSubject));
    },
    reliabilityTimeout(),
  );
});

const byTicketAndSubject = (
  a: { ticketNumber: number | null; subject: string; to?: string | undefined },
  b: { ticketNumber: number | null; subject: string; to?: string | undefined },
) =>
  (a.ticketNumber ?? 0) - (b.ticketNumber ?? 0) ||
  a.subject.localeCompare(b.subject) ||
  (a.to ?? '').localeCompare(b.to ?? '');
