import { describe, expect, it } from 'vitest';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import {
  decideSuspension,
  decideUnsuspension,
  suspensionApplies,
} from '../../../lib/domain/ticket/customer-suspension.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';
import { aCustomer } from '../../support/ticket-fixtures.ts';

/** Seed 004 allows suspension of support; the default policy (like seed 003) does not. */
const fairUse = shippedPolicy('examples/hosting-es.yaml');
const noSuspension = shippedPolicy('default.yaml');
const AT = '2026-11-23T15:00:00.000Z';

const codeOf = (act: () => unknown): string | undefined => {
  try {
    act();
  } catch (error) {
    if (isAtendeError(error)) return error.code;
    throw error;
  }
  return undefined;
};

describe('suspending a customer', () => {
  it('is refused where the policy does not allow suspension', () => {
    expect(noSuspension.conduct.suspension.allowed).toBe(false);
    expect(
      codeOf(() => decideSuspension(noSuspension, 'ana@cliente.example', aCustomer('ana@cliente.example'), AT)),
    ).toBe('conduct.suspensionNotAllowed');
    expect(codeOf(() => decideSuspension(noSuspension, 'new@cliente.example', null, AT))).toBe(
      'conduct.suspensionNotAllowed',
    );
  });

  it('suspends a known customer where the policy allows it, keeping the rest of the record', () => {
    const ana = aCustomer('ana@cliente.example', { plan: 'gold', locale: 'es' });

    const suspended = decideSuspension(fairUse, 'ana@cliente.example', ana, AT);

    expect(suspended).toEqual({ ...ana, suspended: true, suspendedAt: AT, updatedAt: AT });
  });

  it('suspends an address atende has not met yet', () => {
    expect(decideSuspension(fairUse, 'new@cliente.example', null, AT)).toMatchObject({
      key: 'new@cliente.example',
      suspended: true,
      suspendedAt: AT,
    });
  });

  it('changes nothing for a customer who is suspended already, keeping when it began', () => {
    const earlier = aCustomer('ana@cliente.example', { suspended: true, suspendedAt: '2026-01-01T00:00:00.000Z' });
    expect(decideSuspension(fairUse, 'ana@cliente.example', earlier, AT)).toBeNull();
  });

  it.each([
    ['a support address', 'soporte@example.com'],
    ["the agents' address", 'soporte-equipo@example.com'],
    ['staff', 'agente@example.com'],
  ])('refuses %s: our own mail is never a customer', (_, address) => {
    expect(codeOf(() => decideSuspension(fairUse, address, null, AT))).toBe('conduct.notSuspendable');
  });
});

describe('lifting a suspension', () => {
  it('lifts it whatever the policy says', () => {
    const suspended = aCustomer('ana@cliente.example', { suspended: true, suspendedAt: '2026-01-01T00:00:00.000Z' });

    expect(decideUnsuspension(suspended, AT)).toEqual({
      ...suspended,
      suspended: false,
      suspendedAt: null,
      updatedAt: AT,
    });
  });

  it('changes nothing for a customer who is not suspended, or unknown', () => {
    expect(decideUnsuspension(aCustomer('ana@cliente.example'), AT)).toBeNull();
    expect(decideUnsuspension(null, AT)).toBeNull();
  });
});

describe('whether a suspension is in force', () => {
  const suspended = aCustomer('ana@cliente.example', { suspended: true, suspendedAt: AT });

  it('holds for a suspended customer where the policy allows suspension', () => {
    expect(suspensionApplies(fairUse, suspended)).toBe(true);
    expect(suspensionApplies(fairUse, aCustomer('bob@cliente.example'))).toBe(false);
    expect(suspensionApplies(fairUse, null)).toBe(false);
  });

  it('does not hold where the policy does not allow suspension, whatever the record says', () => {
    expect(suspensionApplies(noSuspension, suspended)).toBe(false);
  });
});
