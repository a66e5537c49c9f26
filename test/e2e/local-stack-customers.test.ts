import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';
import { repositoryPath } from '../support/policy-fixtures.ts';
import { runCli } from '../support/run-cli.ts';

/**
 * `atende customers suspend|unsuspend|list` on the running local stack, under a policy that
 * allows suspension (seed 004) and under one that does not (the default policy).
 */
interface CustomerView {
  key: string;
  suspended: boolean;
  suspendedAt: string | null;
}
interface TicketSummary {
  number: number;
  requester: string;
}
interface OutboxMail {
  to: string[];
  subject: string;
}

/** Starts a stack with `policy` for the tests of one describe block; the CLI reads the same variables. */
function onLocalStack(policy: string) {
  const session: { stack?: LocalStackProcess; smtp?: ReturnType<typeof createTransport> } = {};
  beforeAll(async () => {
    const environment = { ATENDE_POLICY: repositoryPath(policy) };
    session.stack = await startLocalStackProcess(environment);
    Object.assign(process.env, session.stack.environment, environment);
    session.smtp = createTransport({
      host: '127.0.0.1',
      port: Number(session.stack.environment.ATENDE_SMTP_PORT),
      secure: false,
      ignoreTLS: true,
    });
  }, 60_000);
  afterAll(async () => {
    session.smtp?.close();
    expect(await session.stack?.stop()).toBe(0);
  });
  return {
    send: (from: string, to: string, subject: string) =>
      session.smtp!.sendMail({ from, to, subject, text: `${subject}: it does not work since this morning.` }),
  };
}

const json = async <T>(...args: string[]): Promise<T> => {
  const run = await runCli(...args, '--json');
  if (run.exitCode !== 0) throw new Error(`atende ${args.join(' ')} exited ${run.exitCode}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
};
const ticketsOf = async (requester: string) =>
  (await json<TicketSummary[]>('tickets', 'list')).filter((ticket) => ticket.requester === requester);

describe('customers under a policy that allows suspension (seed 004)', () => {
  const { send } = onLocalStack('policy/examples/hosting-es.yaml');

  it('suspends a customer, whose next mail gets the suspended-support notice and no ticket, and lifts it', async () => {
    const suspended = await json<{ changed: boolean; suspended: boolean }>(
      'customers',
      'suspend',
      'Ana@Cliente.example',
    );
    const listed = await json<CustomerView[]>('customers', 'list', '--suspended');
    await send('ana@cliente.example', 'soporte@example.com', 'No carga mi sitio');
    const ticketsWhileSuspended = await ticketsOf('ana@cliente.example');
    const notices = (await json<OutboxMail[]>('outbox')).filter((mail) => mail.to.includes('ana@cliente.example'));

    const lifted = await json<{ changed: boolean; suspended: boolean }>(
      'customers',
      'unsuspend',
      'ana@cliente.example',
    );
    await send('ana@cliente.example', 'soporte@example.com', 'Sigue sin cargar mi sitio');
    const ticketsAfterwards = await ticketsOf('ana@cliente.example');

    expect(suspended).toMatchObject({ changed: true, suspended: true });
    expect(listed.map((customer) => customer.key)).toEqual(['ana@cliente.example']);
    expect(ticketsWhileSuspended).toEqual([]);
    expect(notices).toHaveLength(1);
    expect(lifted).toMatchObject({ changed: true, suspended: false });
    expect(ticketsAfterwards).toHaveLength(1);
    expect(await json<CustomerView[]>('customers', 'list', '--suspended')).toEqual([]);
  });

  it('lists every customer who wrote, and says so in a table for people', async () => {
    await send('bruno@cliente.example', 'soporte@example.com', 'Consulta de facturación');

    const everyone = await json<CustomerView[]>('customers', 'list');
    const table = await runCli('customers', 'list');

    expect(everyone.map((customer) => customer.key)).toContain('bruno@cliente.example');
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^CUSTOMER\s+SUSPENDED\s+PLAN/);
    expect(table.stdout).toMatch(/bruno@cliente\.example\s+-\s/);
  });

  it('refuses our own addresses and anything that is not an address, changing nothing', async () => {
    expect((await runCli('customers', 'suspend', 'soporte-equipo@example.com')).exitCode).toBe(1);
    expect((await runCli('customers', 'suspend', 'cliente.example')).exitCode).toBe(2);
    expect((await runCli('customers', 'suspend')).exitCode).toBe(2);
    expect(await json<CustomerView[]>('customers', 'list', '--suspended')).toEqual([]);
  });
});

describe('customers under a policy that does not allow suspension (the default policy)', () => {
  const { send } = onLocalStack('policy/default.yaml');

  it('refuses to suspend with exit 1 and changes nothing: the customer still gets a ticket', async () => {
    const refused = await runCli('customers', 'suspend', 'carla@cliente.example');
    const refusedJson = await runCli('customers', 'suspend', 'carla@cliente.example', '--json');
    await send('carla@cliente.example', 'servicedesk@example.com', 'No puedo entrar');

    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).not.toBe(''); // the code, conduct.suspensionNotAllowed, is asserted in the unit specs
    expect(refusedJson.exitCode).toBe(1);
    expect(await json<CustomerView[]>('customers', 'list', '--suspended')).toEqual([]);
    expect(await ticketsOf('carla@cliente.example')).toHaveLength(1);
  });
});
