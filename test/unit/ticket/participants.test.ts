import { describe, expect, it } from 'vitest';
import { admitParticipants, MAX_DECLINED_KEPT, participantRules } from '../../../lib/domain/ticket/participants.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const policy = shippedPolicy('default.yaml');
const rules = (mayAdd = true) => participantRules(policy, policy.queues[0]!, mayAdd);

describe('who becomes a participant', () => {
  it('adds people named in order until the ticket has participants.max, and declines the rest as over the limit', () => {
    const named = Array.from({ length: 12 }, (_, index) => `p${index}@customer.example`);

    const { participants, declined } = admitParticipants([], 'ana@customer.example', named, rules());

    expect(participants).toEqual(named.slice(0, 10));
    expect(declined).toEqual(named.slice(10).map((address) => ({ address, reason: 'limit' })));
  });

  it('counts the participants a ticket already has against the limit, and never names the requester', () => {
    const current = Array.from({ length: 9 }, (_, index) => `old${index}@customer.example`);

    const { participants, declined } = admitParticipants(
      current,
      'ana@customer.example',
      ['Ana@Customer.example', 'new1@customer.example', 'new2@customer.example', 'old0@customer.example'],
      rules(),
    );

    expect(participants).toEqual([...current, 'new1@customer.example']);
    expect(declined).toEqual([{ address: 'new2@customer.example', reason: 'limit' }]);
  });

  it('declines everyone named by a mail that failed authentication', () => {
    expect(admitParticipants([], 'ana@customer.example', ['eve@attacker.example'], rules(false))).toEqual({
      participants: [],
      declined: [{ address: 'eve@attacker.example', reason: 'unauthenticated' }],
    });
  });

  it('declines what cannot be mailed, notes an agents list, and leaves out support addresses, staff and no-reply silently', () => {
    const { participants, declined } = admitParticipants(
      [],
      'ana@customer.example',
      [
        '"john doe"@customer.example',
        'servicedesk@example.com',
        'servicedesk-agents@example.com',
        'carla@example.com',
        'no-reply@shop.example',
        'bob@customer.example',
      ],
      rules(),
    );

    expect(participants).toEqual(['bob@customer.example']);
    expect(declined).toEqual([
      { address: '"john doe"@customer.example', reason: 'unmailable' },
      { address: 'servicedesk-agents@example.com', reason: 'own-address' },
    ]);
  });

  it(`keeps at most ${MAX_DECLINED_KEPT} declined addresses however many a header names`, () => {
    const named = Array.from({ length: 5_000 }, (_, index) => `x${index}@many.example`);

    expect(admitParticipants([], 'ana@customer.example', named, rules()).declined).toHaveLength(MAX_DECLINED_KEPT);
  });
});
