import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { InMemoryTicketStore } from '../../../lib/adapters/memory/in-memory-ticket-store.ts';
import { suspendCustomer, unsuspendCustomer } from '../../../lib/application/suspend-customer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';
import { aCustomer } from '../../support/ticket-fixtures.ts';

const NOW = Date.parse('2026-11-23T15:00:00.000Z');
const depsFor = (policy: Policy) => ({
  store: new InMemoryTicketStore(),
  policy,
  clock: new ManualClock(NOW),
});

describe('suspending a customer through the store', () => {
  it('refuses under a policy that does not allow it and writes nothing', async () => {
    const deps = depsFor(shippedPolicy('examples/hosting-br.yaml'));
    const ana = aCustomer('ana@cliente.example');
    await deps.store.saveCustomer(ana);

    const refusal = await suspendCustomer(deps, 'Ana@Cliente.example').catch((error: unknown) => error);

    expect(isAtendeError(refusal, 'conduct.suspensionNotAllowed')).toBe(true);
    expect(await deps.store.getCustomer('ana@cliente.example')).toEqual(ana);
    expect(await deps.store.listCustomers({ suspended: true })).toEqual([]);
  });

  it('suspends under seed 004, lists the customer as suspended, and lifts it again', async () => {
    const deps = depsFor(shippedPolicy('examples/hosting-es.yaml'));

    const suspended = await suspendCustomer(deps, 'Ana@Cliente.example');
    const again = await suspendCustomer(deps, 'ana@cliente.example');
    const listed = await deps.store.listCustomers({ suspended: true });
    deps.clock.advance(60_000);
    const lifted = await unsuspendCustomer(deps, 'ana@cliente.example');

    expect(suspended).toMatchObject({
      changed: true,
      customer: { key: 'ana@cliente.example', suspended: true, suspendedAt: '2026-11-23T15:00:00.000Z' },
    });
    expect(again.changed).toBe(false);
    expect(listed.map((customer) => customer.key)).toEqual(['ana@cliente.example']);
    expect(lifted).toMatchObject({
      changed: true,
      customer: { suspended: false, suspendedAt: null, updatedAt: '2026-11-23T15:01:00.000Z' },
    });
    expect(await deps.store.getCustomer('ana@cliente.example')).toEqual(lifted.customer);
  });

  it('lifts a suspension left over from a policy that allowed it, under one that does not', async () => {
    const deps = depsFor(shippedPolicy('default.yaml'));
    await deps.store.saveCustomer(
      aCustomer('ana@cliente.example', { suspended: true, suspendedAt: '2026-01-01T00:00:00Z' }),
    );

    const lifted = await unsuspendCustomer(deps, 'ana@cliente.example');

    expect(lifted.changed).toBe(true);
    expect(await deps.store.listCustomers({ suspended: true })).toEqual([]);
  });

  it('writes nothing when lifting the suspension of an address it does not know', async () => {
    const deps = depsFor(shippedPolicy('default.yaml'));

    expect(await unsuspendCustomer(deps, 'nobody@cliente.example')).toEqual({ customer: null, changed: false });
    expect(await deps.store.listCustomers()).toEqual([]);
  });
});
