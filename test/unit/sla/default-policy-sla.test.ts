import { describe, expect, it } from 'vitest';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { SlaClock, type SlaRequest } from '../../../lib/domain/sla/sla-schedule.ts';
import { at, iso, shippedPolicy } from '../../support/policy-fixtures.ts';

/**
 * The default policy (seed 000's structure, seed 001's plans): servicedesk on
 * Mon–Fri 24 h + Sat–Sun 09:00–18:00 Toronto time, installteam 24/7, partnersupport Mon–Fri 24 h.
 */
const clock = new SlaClock(shippedPolicy('default.yaml'));
const schedule = (request: Partial<SlaRequest> & { received: string }) =>
  clock.schedule({ queue: 'servicedesk', priority: 'medium', ...request, receivedAt: at(request.received) });

describe('SLA due times under the default policy', () => {
  it('answers a premium customer within 30 minutes and resolves a high ticket in 18 business hours', () => {
    const sla = schedule({ priority: 'high', plan: 'premium', received: '2026-11-20T17:30:00-05:00' });
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-20T23:00:00.000Z'); // Friday 18:00 EST
    expect(sla.firstResponse!.target).toBe('30m');
    // 6.5 h to Friday midnight + 9 h on Saturday + 2.5 h on Sunday → Sunday 11:30 EST.
    expect(iso(sla.resolution!.due)).toBe('2026-11-22T16:30:00.000Z');
  });

  it('gives a critical ticket one hour to first response and eight to resolution', () => {
    const sla = schedule({ priority: 'critical', plan: 'basic', received: '2026-11-23T10:00:00-05:00' });
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-23T16:00:00.000Z');
    expect(iso(sla.resolution!.due)).toBe('2026-11-23T23:00:00.000Z');
  });

  it('uses the default plan when none is given', () => {
    expect(schedule({ received: '2026-11-23T10:00:00-05:00' }).plan).toBe('basic');
  });

  it('caps every first response at four hours or the end of the business day, whichever is sooner', () => {
    // Saturday 16:00: the day closes at 18:00, sooner than 4 h (high) or 4 h (regular plan).
    const sla = schedule({ priority: 'high', plan: 'regular', received: '2026-11-21T16:00:00-05:00' });
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-21T23:00:00.000Z');
    // Sunday 10:00 medium: end of business day is 18:00 but the 4-hour cap gives 14:00.
    expect(iso(schedule({ received: '2026-11-22T10:00:00-05:00' }).firstResponse!.due)).toBe(
      '2026-11-22T19:00:00.000Z',
    );
  });

  it('starts the clock at the next opening for a ticket sent after hours', () => {
    const sla = schedule({ received: '2026-11-21T20:00:00-05:00' }); // Saturday 20:00, closed until Sunday 09:00
    expect(iso(sla.clockStartsAt)).toBe('2026-11-22T14:00:00.000Z');
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-22T18:00:00.000Z'); // 4 h cap → Sunday 13:00
  });

  it('resolves a medium ticket by the close of the third business day', () => {
    // Saturday 17:00: day 0 is Saturday; Sunday, Monday, Tuesday → Tuesday's close is midnight (24-hour day).
    expect(iso(schedule({ received: '2026-11-21T17:00:00-05:00' }).resolution!.due)).toBe('2026-11-25T05:00:00.000Z');
  });

  it('keeps installteam on the clock around the clock', () => {
    const sla = schedule({ queue: 'installteam', priority: 'critical', received: '2026-11-22T03:00:00-05:00' });
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-22T09:00:00.000Z');
  });

  it('starts partner tickets sent at the weekend on Monday at midnight', () => {
    const sla = schedule({ queue: 'partnersupport', priority: 'critical', received: '2026-11-21T12:00:00-05:00' });
    expect(iso(sla.clockStartsAt)).toBe('2026-11-23T05:00:00.000Z');
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-23T06:00:00.000Z');
  });

  it("follows a MENA customer's office hours instead of the service desk's", () => {
    const sla = schedule({ region: 'mena', received: '2026-11-20T17:30:00-05:00' });
    expect(sla.calendar.name).toBe('eastern-office');
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-20T23:00:00.000Z'); // Friday 18:00 close
    expect(iso(sla.resolution!.due)).toBe('2026-11-25T23:00:00.000Z'); // Wednesday 18:00
  });

  it('keeps a region to the queues it names', () => {
    expect(
      schedule({ queue: 'installteam', region: 'mena', received: '2026-11-21T12:00:00-05:00' }).calendar.name,
    ).toBe('around-the-clock');
  });

  it('honours the reduced hours of Christmas Day', () => {
    // Friday 25 Dec 2026 opens 09:00-18:00 instead of 24 hours; a ticket at 07:00 waits until 09:00.
    const sla = schedule({ priority: 'critical', received: '2026-12-25T07:00:00-05:00' });
    expect(iso(sla.clockStartsAt)).toBe('2026-12-25T14:00:00.000Z');
    expect(iso(sla.firstResponse!.due)).toBe('2026-12-25T15:00:00.000Z');
  });

  it('counts across the autumn clock change in real hours', () => {
    // Saturday 31 Oct 2026 17:00 EDT, high/premium resolution 18 h: 1 h Sat, 9 h Sun 1 Nov (clocks go back at 02:00, outside hours), Mon from 00:00 EST 8 h.
    const sla = schedule({ priority: 'high', plan: 'premium', received: '2026-10-31T17:00:00-04:00' });
    expect(iso(sla.resolution!.due)).toBe('2026-11-02T13:00:00.000Z');
  });

  it('warns agents when 75 % of the target has elapsed', () => {
    const sla = schedule({ priority: 'critical', plan: 'basic', received: '2026-11-23T10:00:00-05:00' });
    expect(iso(sla.firstResponse!.warningAt)).toBe('2026-11-23T15:45:00.000Z');
  });

  it('escalates level by level: the service manager at breach, then 2 and 4 business hours later', () => {
    // Saturday 10:00 critical: breach 11:00, level 2 at 13:00, level 3 at 17:00 (all within Saturday's hours).
    const sla = schedule({ priority: 'critical', received: '2026-11-21T10:00:00-05:00' });
    expect(
      sla.firstResponse!.escalations.map((level) => [level.level, iso(level.at), level.contacts[0]!.address]),
    ).toEqual([
      [1, '2026-11-21T16:00:00.000Z', 'service-manager@example.com'],
      [2, '2026-11-21T18:00:00.000Z', 'fulfillment-manager@example.com'],
      [3, '2026-11-21T22:00:00.000Z', 'owner@example.com'],
    ]);
  });

  it('carries escalation past closing time into the next opening', () => {
    // Saturday 16:30 critical: breach 17:30, level 2 needs 2 business hours: 30 min Saturday + 1.5 h Sunday from 09:00.
    const sla = schedule({ priority: 'critical', received: '2026-11-21T16:30:00-05:00' });
    expect(iso(sla.firstResponse!.escalations[1]!.at)).toBe('2026-11-22T15:30:00.000Z');
  });

  it('pauses the clock while the ticket waits on the customer', () => {
    const received = '2026-11-23T10:00:00-05:00';
    const pauses = [{ start: at('2026-11-23T10:30:00-05:00'), end: at('2026-11-23T12:30:00-05:00') }];
    const paused = schedule({ priority: 'critical', received, pauses });
    expect(iso(paused.firstResponse!.due)).toBe('2026-11-23T18:00:00.000Z'); // 11:00 + 2 h paused
    expect(
      schedule({ priority: 'critical', received, pauses: [{ start: at('2026-11-23T10:30:00-05:00'), end: null }] })
        .firstResponse!.due,
    ).toBeNull();
  });

  it('treats web-form tickets like e-mail under the default policy', () => {
    const email = schedule({ priority: 'high', plan: 'regular', received: '2026-11-23T10:00:00-05:00' });
    const web = schedule({ priority: 'high', plan: 'regular', channel: 'web', received: '2026-11-23T10:00:00-05:00' });
    expect(web.firstResponse!.due).toBe(email.firstResponse!.due);
  });

  it.each([
    [{ queue: 'helpdesk' }, 'policy.unknownQueue', 'servicedesk, installteam, partnersupport'],
    [{ priority: 'blocker' }, 'policy.unknownPriority', 'critical, high, medium'],
    [{ plan: 'gold' }, 'policy.unknownPlan', 'basic, regular, premium'],
    [{ region: 'emea' }, 'policy.unknownRegion', 'north-america, latam, mena'],
  ])('rejects %o naming the valid choices', (wrong, code, valid) => {
    try {
      schedule({ received: '2026-11-23T10:00:00-05:00', ...wrong });
      expect.unreachable();
    } catch (error) {
      expect(isAtendeError(error, code as never)).toBe(true);
      expect((error as Error).message).toContain(valid);
    }
  });
});
