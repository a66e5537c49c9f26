import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { verdictRejection } from '../../../lib/domain/routing/inbound-verdicts.ts';
import { isStaff, planFor, queueForRecipients, regionFor } from '../../../lib/domain/routing/support-routing.ts';
import { acknowledgementAllowed, conductNoticeDue } from '../../../lib/domain/ticket/acknowledgement-rules.ts';
import { type Customer, newCustomer } from '../../../lib/domain/ticket/customer.ts';
import { at, shippedPolicy } from '../../support/policy-fixtures.ts';

const policy = shippedPolicy('default.yaml');
const customer = (fields: Partial<Customer>): Customer => ({
  ...newCustomer('ana@customer.example', '2026-11-01T00:00:00.000Z'),
  ...fields,
});

describe('routing a mail under the policy', () => {
  it('picks the queue from the first recipient that is a support address', () => {
    expect(queueForRecipients(policy, ['someone@else.example', 'InstallTeam@example.com'])?.name).toBe('installteam');
    expect(queueForRecipients(policy, ['someone@else.example'])).toBeNull();
  });

  it('treats the policy staff domain and its subdomains as agents', () => {
    const queue = policy.queues[0]!;
    expect(isStaff(policy, queue, 'agent@example.com')).toBe(true);
    expect(isStaff(policy, queue, 'agent@eu.example.com')).toBe(true);
    expect(isStaff(policy, queue, 'agent@notexample.com')).toBe(false);
  });

  it("takes the customer's plan from their record, else the policy's mapping, else the default", () => {
    const withMapping: Policy = {
      ...policy,
      plans: {
        default: 'basic',
        levels: policy.plans!.levels.map((plan) =>
          plan.name === 'premium' ? { ...plan, customers: { addresses: [], domains: ['vip.example'] } } : plan,
        ),
      },
    };
    expect(planFor(withMapping, 'ceo@vip.example', null)).toBe('premium');
    expect(planFor(withMapping, 'ceo@vip.example', customer({ plan: 'regular' }))).toBe('regular');
    expect(planFor(withMapping, 'someone@other.example', null)).toBe('basic');
  });

  it("takes the customer's region from their record when it names one of the policy", () => {
    expect(regionFor(policy, 'ana@customer.example', customer({ region: 'mena' }))).toBe('mena');
    expect(regionFor(policy, 'ana@customer.example', customer({ region: 'mars' }))).toBeNull();
  });
});

describe("SES's verdicts", () => {
  it('stops spam, viruses and DMARC failures of domains that ask for quarantine or reject', () => {
    expect(verdictRejection({ spam: 'FAIL' })).toBe('inbound.spam');
    expect(verdictRejection({ virus: 'FAIL' })).toBe('inbound.virus');
    expect(verdictRejection({ dmarc: 'FAIL', dmarcPolicy: 'REJECT' })).toBe('inbound.dmarc');
    expect(verdictRejection({ dmarc: 'FAIL', dmarcPolicy: 'QUARANTINE' })).toBe('inbound.dmarc');
  });

  it('lets through DMARC failures of domains with no policy, and passing mail', () => {
    expect(verdictRejection({ dmarc: 'FAIL', dmarcPolicy: 'NONE' })).toBeNull();
    expect(verdictRejection({ spam: 'PASS', virus: 'PASS', spf: 'FAIL', dkim: 'GRAY', dmarc: 'PASS' })).toBeNull();
  });
});

describe('acknowledgements and follow-ups', () => {
  const now = at('2026-11-23T10:00:00Z');

  it('acknowledges a sender at most once in ten minutes', () => {
    expect(acknowledgementAllowed(null, now)).toBe(true);
    expect(acknowledgementAllowed(customer({ lastAcknowledgedAt: '2026-11-23T09:55:00Z' }), now)).toBe(false);
    expect(acknowledgementAllowed(customer({ lastAcknowledgedAt: '2026-11-23T09:49:00Z' }), now)).toBe(true);
  });

  it('cites the conduct rules for capitals or rude words at most once per period', () => {
    expect(conductNoticeDue(policy, null, ['shouting'], now)).toBe(true);
    expect(conductNoticeDue(policy, null, ['secrets-masked'], now)).toBe(false);
    expect(
      conductNoticeDue(policy, customer({ lastConductNoticeAt: '2026-11-20T10:00:00Z' }), ['rude-words'], now),
    ).toBe(false);
    expect(
      conductNoticeDue(policy, customer({ lastConductNoticeAt: '2026-11-10T10:00:00Z' }), ['rude-words'], now),
    ).toBe(true);
  });
});
