import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoDbClientConfig } from '../../../lib/adapters/dynamodb/dynamodb-local.ts';
import { DynamoDbTicketStore } from '../../../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { createTicketTable } from '../../../lib/adapters/dynamodb/ticket-table.ts';
import { LOCAL_TABLE_NAME } from '../../../lib/adapters/local/local-stack-config.ts';
import { SlaClock } from '../../../lib/domain/sla/sla-schedule.ts';
import type { Ticket } from '../../../lib/domain/ticket/ticket.ts';
import { withDueTimes } from '../../../lib/domain/ticket/ticket-lifecycle.ts';
import { repositoryPath, shippedPolicy } from '../../support/policy-fixtures.ts';
import { runCli } from '../../support/run-cli.ts';
import { aMessage, aTicket } from '../../support/ticket-fixtures.ts';

/**
 * `atende sla report` against DynamoDB Local holding the local stack's table, with tickets
 * stored as the kernel stores them, under the default policy (servicedesk: Mon–Fri 24 h +
 * weekends 09:00–18:00; partnersupport: Mon–Fri 24 h, weekends closed; both Toronto time).
 * The command reads the table the running stack would (ATENDE_DDB_PORT, its fixed table
 * name); only this file makes that table on the run's shared DynamoDB Local.
 */
const sla = new SlaClock(shippedPolicy('default.yaml'));
const stored = (number: number, overrides: Partial<Ticket>): Ticket =>
  withDueTimes(aTicket(number, { firstResponseDue: null, ...overrides }), sla);

const tickets = [
  // servicedesk high, Monday 07:00 EST: first response due in 4 h, resolution in 18 h.
  stored(2001, {
    priority: 'high',
    createdAt: '2025-03-03T12:00:00.000Z',
    firstRespondedAt: '2025-03-03T14:00:00.000Z',
    status: 'resolved',
    resolvedAt: '2025-03-03T20:00:00.000Z',
  }),
  // Answered 7 h in, after the breach and the first escalation; still open past its resolution due time.
  stored(2002, {
    priority: 'high',
    createdAt: '2025-03-03T12:00:00.000Z',
    firstRespondedAt: '2025-03-03T19:00:00.000Z',
    status: 'in-progress',
    escalationLevel: 1,
    timerLog: [
      {
        key: 'breach-fr',
        kind: 'breach',
        target: 'firstResponse',
        level: null,
        dueAt: '2025-03-03T16:00:00.000Z',
        at: '2025-03-03T16:00:00.000Z',
      },
      {
        key: 'escalation-fr-1',
        kind: 'escalation',
        target: 'firstResponse',
        level: 1,
        dueAt: '2025-03-03T16:00:00.000Z',
        at: '2025-03-03T16:00:01.000Z',
      },
    ],
  }),
  // partnersupport critical, sent on Saturday: the clock starts Monday 00:00 EST; answered 30 minutes in.
  stored(2003, {
    queue: 'partnersupport',
    priority: 'critical',
    createdAt: '2025-03-01T15:00:00.000Z',
    firstRespondedAt: '2025-03-03T05:30:00.000Z',
    status: 'resolved',
    resolvedAt: '2025-03-03T12:00:00.000Z',
  }),
];

const attainment = (met: number, breached: number, attainmentPercent: number | null) => ({
  met,
  breached,
  openWithin: 0,
  attainmentPercent,
});
const NOTHING = {
  tickets: 0,
  firstResponse: attainment(0, 0, null),
  resolution: attainment(0, 0, null),
  breaches: 0,
  escalations: [],
  firstResponseBusinessHours: { median: null, p90: null },
};
const SERVICEDESK_HIGH = {
  tickets: 2,
  firstResponse: attainment(1, 1, 50),
  resolution: attainment(1, 1, 50),
  // The recorded first-response breach, and the resolution missed while still open.
  breaches: 2,
  escalations: [{ level: 1, count: 1 }],
  firstResponseBusinessHours: { median: 2, p90: 7 },
};
const PARTNER_CRITICAL = {
  tickets: 1,
  firstResponse: attainment(1, 0, 100),
  resolution: attainment(1, 0, 100),
  breaches: 0,
  escalations: [],
  firstResponseBusinessHours: { median: 0.5, p90: 0.5 },
};

const saved = { ...process.env };
let client: DynamoDBClient;

beforeAll(async () => {
  const endpoint = inject('dynamodbEndpoint');
  client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  if (TableNames.includes(LOCAL_TABLE_NAME)) await client.send(new DeleteTableCommand({ TableName: LOCAL_TABLE_NAME }));
  await createTicketTable(client, LOCAL_TABLE_NAME);
  const store = new DynamoDbTicketStore({ client, tableName: LOCAL_TABLE_NAME });
  for (const ticket of tickets) await store.createTicket({ ticket, firstMessage: aMessage(ticket.number, 1) });
  Object.assign(process.env, {
    ATENDE_DDB_PORT: new URL(endpoint).port,
    ATENDE_DATA_DIR: mkdtempSync(join(tmpdir(), 'atende-sla-report-')),
    ATENDE_POLICY: repositoryPath('policy/default.yaml'),
  });
});

afterAll(async () => {
  process.env = saved;
  await client.send(new DeleteTableCommand({ TableName: LOCAL_TABLE_NAME }));
  client.destroy();
});

const reportJson = async (...args: string[]) => {
  const run = await runCli('sla', 'report', ...args, '--json');
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return JSON.parse(run.stdout);
};

describe('atende sla report on the local stack', () => {
  it('reports every policy queue, its priorities and its total, as JSON', async () => {
    const report = await reportJson();

    expect(report).toMatchObject({ since: null, queue: null, generatedAt: expect.any(String) });
    expect(report.rows).toEqual([
      { queue: 'servicedesk', priority: 'high', ...SERVICEDESK_HIGH },
      { queue: 'servicedesk', priority: null, ...SERVICEDESK_HIGH },
      { queue: 'installteam', priority: null, ...NOTHING },
      { queue: 'partnersupport', priority: 'critical', ...PARTNER_CRITICAL },
      { queue: 'partnersupport', priority: null, ...PARTNER_CRITICAL },
    ]);
  });

  it('reports one queue with --queue, and tickets created since a time with --since', async () => {
    const partners = await reportJson('--queue', 'partnersupport');
    const sinceMonday = await reportJson('--since', '2025-03-02');

    expect(partners.queue).toBe('partnersupport');
    expect(partners.rows.map((row: { priority: string | null }) => row.priority)).toEqual(['critical', null]);
    expect(sinceMonday.since).toBe('2025-03-02T00:00:00.000Z');
    expect(sinceMonday.rows.at(-1)).toEqual({ queue: 'partnersupport', priority: null, ...NOTHING });
    expect(sinceMonday.rows[0]).toEqual({ queue: 'servicedesk', priority: 'high', ...SERVICEDESK_HIGH });
  });

  it('prints an aligned table by default', async () => {
    const run = await runCli('sla', 'report', '--queue', 'servicedesk');
    const [title, header, high, total] = run.stdout.trimEnd().split('\n');

    expect(run.exitCode).toBe(0);
    expect(title).toMatch(/^SLA report: queue servicedesk · every ticket · as of \d{4}-/);
    expect(header).toMatch(
      /^QUEUE\s+PRIORITY\s+TICKETS\s+FIRST RESPONSE\s+RESOLUTION\s+BREACHES\s+ESCALATIONS\s+FR MEDIAN\s+FR P90$/,
    );
    expect(high).toMatch(/^servicedesk\s+high\s+2\s+50\.0% \(1\/2\)\s+50\.0% \(1\/2\)\s+2\s+L1:1\s+2\.00h\s+7\.00h$/);
    expect(total).toMatch(/^servicedesk\s+\(all\)\s+2\s/);
    // Every column starts where its title does.
    for (const title of ['TICKETS', 'FIRST RESPONSE', 'BREACHES', 'FR MEDIAN']) {
      const column = header!.indexOf(title);
      expect(high![column - 1]).toBe(' ');
      expect(high![column]).not.toBe(' ');
    }
  });

  it('shows a dash where a queue has nothing to count', async () => {
    const run = await runCli('sla', 'report', '--queue', 'installteam');

    expect(run.stdout.trimEnd().split('\n')[2]).toMatch(/^installteam\s+\(all\)\s+0\s+-\s+-\s+0\s+-\s+-\s+-$/);
  });

  it('refuses an unknown queue with exit code 2, naming the valid queues', async () => {
    const run = await runCli('sla', 'report', '--queue', 'sales');

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown queue "sales"; valid queues: servicedesk, installteam, partnersupport');
    expect(run.stdout).toBe('');
  });

  it('refuses a --since that is not an ISO time with exit code 2', async () => {
    const run = await runCli('sla', 'report', '--since', 'last week');

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--since "last week" is not an ISO 8601 time');
  });

  it('fails with exit code 1 and says so when the local stack is not running', async () => {
    const port = process.env['ATENDE_DDB_PORT'];
    process.env['ATENDE_DDB_PORT'] = '9';
    const run = await runCli('sla', 'report').finally(() => {
      process.env['ATENDE_DDB_PORT'] = port;
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('the local stack is not running');
  });
});
