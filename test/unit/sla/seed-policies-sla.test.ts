import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { parsePolicy } from '../../../lib/domain/policy/parse-policy.ts';
import { SlaClock } from '../../../lib/domain/sla/sla-schedule.ts';
import { at, iso, repositoryPath, shippedPolicy } from '../../support/policy-fixtures.ts';
import { runCli } from '../../support/run-cli.ts';

const EXAMPLES = ['zenduit', '360dialog', 'zoom', 'hosting-br', 'hosting-es'] as const;

describe('the five seed policies', () => {
  it.each(EXAMPLES)('%s passes atende policy check', async (name) => {
    const run = await runCli('policy', 'check', `policy/examples/${name}.yaml`);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
  });

  it.each(EXAMPLES)('%s names its queues after the local part of their addresses', (name) => {
    for (const queue of shippedPolicy(`examples/${name}.yaml`).queues)
      expect(queue.address.startsWith(`${queue.name}@`)).toBe(true);
  });
});

describe('seed 000 (zenduit): regions, "4 hours or end of business day", acknowledgement as first response', () => {
  const policy = shippedPolicy('examples/zenduit.yaml');
  const clock = new SlaClock(policy);

  it('counts the acknowledgement as the first response', () => {
    expect(policy.sla.firstResponseIs).toBe('acknowledgement');
  });

  it('answers a medium ticket at the sooner of 4 hours and the close of business', () => {
    // Sunday 16:00 on servicedesk: closes 18:00.
    const sunday = clock.schedule({
      queue: 'servicedesk',
      priority: 'medium',
      receivedAt: at('2026-11-22T16:00:00-05:00'),
    });
    expect(iso(sunday.firstResponse!.due)).toBe('2026-11-22T23:00:00.000Z');
    // Sunday 09:30: 4 hours, 13:30.
    const morning = clock.schedule({
      queue: 'servicedesk',
      priority: 'medium',
      receivedAt: at('2026-11-22T09:30:00-05:00'),
    });
    expect(iso(morning.firstResponse!.due)).toBe('2026-11-22T18:30:00.000Z');
  });

  it('keeps only the 4 hours of "4h or end of business day" on the install team, open 24/7', () => {
    // Monday 22:00: the install team never closes, so there is no end of business day to come first.
    const sla = clock.schedule({
      queue: 'installteam',
      priority: 'medium',
      receivedAt: at('2026-11-23T22:00:00-05:00'),
    });
    expect(iso(sla.firstResponse!.due)).toBe('2026-11-24T07:00:00.000Z'); // Tuesday 02:00, not midnight
    expect(sla.firstResponse!.applicable).toEqual(['4h or end of business day']);
  });

  it('gives partners 4 hours on a weekday night, and the close of Friday when that comes first', () => {
    // Partner support is open Monday to Friday 24 hours: its business day ends Friday at midnight.
    const monday = clock.schedule({
      queue: 'partnersupport',
      priority: 'medium',
      receivedAt: at('2026-11-23T22:00:00-05:00'),
    });
    expect(iso(monday.firstResponse!.due)).toBe('2026-11-24T07:00:00.000Z'); // Tuesday 02:00
    const friday = clock.schedule({
      queue: 'partnersupport',
      priority: 'medium',
      receivedAt: at('2026-11-27T22:00:00-05:00'),
    });
    expect(iso(friday.firstResponse!.due)).toBe('2026-11-28T05:00:00.000Z'); // Saturday 00:00, the desk closes
  });

  it('promises nothing for a bare "end of business day" on a calendar that never closes', () => {
    const bare = parsePolicy(
      readFileSync(repositoryPath('policy/examples/zenduit.yaml'), 'utf8').replace(
        '    - { within: 4h or end of business day }\n',
        '',
      ),
    );
    const received = at('2026-11-23T22:00:00-05:00');
    expect(
      new SlaClock(bare).schedule({ queue: 'installteam', priority: 'medium', receivedAt: received }).firstResponse,
    ).toBeNull();
    // The same target on the partner desk's weekday hours ends at Friday's close.
    expect(
      iso(
        new SlaClock(bare).schedule({ queue: 'partnersupport', priority: 'medium', receivedAt: received })
          .firstResponse!.due,
      ),
    ).toBe('2026-11-28T05:00:00.000Z');
  });

  it('puts MENA customers on weekday office hours and everyone else on the extended hours', () => {
    const received = at('2026-11-21T10:00:00-05:00'); // Saturday
    expect(
      iso(
        clock.schedule({ queue: 'servicedesk', priority: 'critical', region: 'mena', receivedAt: received })
          .clockStartsAt,
      ),
    ).toBe('2026-11-23T13:00:00.000Z');
    expect(
      iso(
        clock.schedule({ queue: 'servicedesk', priority: 'critical', region: 'latam', receivedAt: received })
          .clockStartsAt,
      ),
    ).toBe('2026-11-21T15:00:00.000Z');
  });

  it('escalates to the service manager, the fulfillment manager and the owner in turn', () => {
    const sla = clock.schedule({
      queue: 'installteam',
      priority: 'critical',
      receivedAt: at('2026-11-22T03:00:00-05:00'),
    });
    expect(sla.resolution!.escalations.map((level) => level.contacts[0]!.role)).toEqual([
      'Service Manager',
      'Fulfillment Manager',
      'Owner',
    ]);
    expect(sla.resolution!.escalations.map((level) => iso(level.at))).toEqual([
      '2026-11-22T16:00:00.000Z',
      '2026-11-22T18:00:00.000Z',
      '2026-11-22T22:00:00.000Z',
    ]);
  });
});

describe('seed 001 (360dialog): plan targets for chat, 24 hours for e-mail and the web form', () => {
  const clock = new SlaClock(shippedPolicy('examples/360dialog.yaml'));
  const received = at('2026-11-23T10:00:00+01:00');

  it('gives every e-mail or web-form request 24 hours whatever the plan', () => {
    for (const channel of ['email', 'web'] as const) {
      const sla = clock.schedule({
        queue: 'support',
        priority: 'sev1',
        plan: 'premium',
        channel,
        receivedAt: received,
      });
      expect(iso(sla.firstResponse!.due)).toBe('2026-11-24T09:00:00.000Z');
    }
  });

  it('keeps the plan targets for chat', () => {
    expect(
      iso(
        clock.schedule({ queue: 'support', priority: 'sev2', plan: 'premium', channel: 'chat', receivedAt: received })
          .firstResponse!.due,
      ),
    ).toBe('2026-11-23T09:30:00.000Z');
    expect(
      iso(
        clock.schedule({ queue: 'support', priority: 'sev2', plan: 'regular', channel: 'chat', receivedAt: received })
          .firstResponse!.due,
      ),
    ).toBe('2026-11-23T13:00:00.000Z');
  });

  it('resolves every problem within 48 hours, across the spring clock change in Berlin', () => {
    // Saturday 28 March 2026 12:00 CET (11:00 UTC) + 48 real hours = Monday 30 March 11:00 UTC, 13:00 CEST on the wall clock.
    const sla = clock.schedule({ queue: 'support', priority: 'sev3', receivedAt: at('2026-03-28T12:00:00+01:00') });
    expect(iso(sla.resolution!.due)).toBe('2026-03-30T11:00:00.000Z');
  });

  it('counts only a human answer as the first response and closes after 48 hours waiting', () => {
    const policy = shippedPolicy('examples/360dialog.yaml');
    expect(policy.sla.firstResponseIs).toBe('agent-reply');
    expect(policy.waitingOnCustomer.closeAfter).toBe(48 * 60);
    expect(policy.languages.offered).toEqual(expect.arrayContaining(['en', 'pt-BR', 'de', 'es', 'ru']));
  });
});

describe('seed 002 (zoom): priority targets for paid plans, 24 hours for Free, survey on resolution', () => {
  const policy = shippedPolicy('examples/zoom.yaml');
  const clock = new SlaClock(policy);
  const received = at('2026-12-25T08:00:00-08:00'); // a holiday: Zoom works 24/7 including holidays

  it('answers urgent paid tickets within an hour, even on a holiday', () => {
    expect(
      iso(
        clock.schedule({ queue: 'support', priority: 'urgent', plan: 'business', receivedAt: received }).firstResponse!
          .due,
      ),
    ).toBe('2026-12-25T17:00:00.000Z');
  });

  it('answers every Free ticket within 24 hours, urgent or not', () => {
    expect(
      iso(
        clock.schedule({ queue: 'support', priority: 'urgent', plan: 'free', receivedAt: received }).firstResponse!.due,
      ),
    ).toBe('2026-12-26T16:00:00.000Z');
  });

  it('sets no resolution target and sends a survey on resolution', () => {
    expect(
      clock.schedule({ queue: 'support', priority: 'low', plan: 'pro', receivedAt: received }).resolution,
    ).toBeNull();
    expect(policy.survey.onResolution).toBe(true);
    expect(policy.sla.firstResponseIs).toBe('acknowledgement');
  });
});

describe('seed 003 (hosting-br): business hours without time targets, statuses and conduct', () => {
  const policy = shippedPolicy('examples/hosting-br.yaml');
  const clock = new SlaClock(policy);

  it('promises no due time but still starts the clock at the next opening in São Paulo', () => {
    const sla = clock.schedule({
      queue: policy.queues[0]!.name,
      priority: policy.priorities.default,
      receivedAt: at('2026-11-20T19:00:00-03:00'),
    });
    expect(sla.firstResponse).toBeNull();
    expect(sla.resolution).toBeNull();
    expect(iso(sla.clockStartsAt)).toBe('2026-11-23T12:00:00.000Z');
  });

  it('shows customers the statuses of the seed in Portuguese', () => {
    expect(policy.statuses.open['pt-BR']).toBe('Em análise');
    expect(policy.statuses['in-progress']['pt-BR']).toBe('Em andamento');
    expect(policy.statuses['waiting-on-customer']['pt-BR']).toBe('Aguardando resposta');
  });

  it('closes duplicate tickets and flags capitals', () => {
    expect(policy.conduct.duplicates).toBe('close');
    expect(policy.conduct.shouting).toBe('flag');
  });
});

describe('seed 004 (hosting-es): fair-use rules', () => {
  const policy = shippedPolicy('examples/hosting-es.yaml');

  it('holds follow-ups to one per 40 minutes, flags rude words and allows suspension', () => {
    expect(policy.conduct.minFollowUpInterval).toBe(40);
    expect(policy.conduct.rudeWords['es']!.length).toBeGreaterThan(0);
    expect(policy.conduct.suspension.allowed).toBe(true);
    expect(policy.priorities.levels.map((priority) => priority.name)).toEqual(['high', 'medium', 'low']);
  });

  it('needs no --plan where the policy has no plans, and refuses one', async () => {
    const ok = await runCli(
      'sla',
      '--policy',
      'policy/examples/hosting-es.yaml',
      '--queue',
      policy.queues[0]!.name,
      '--priority',
      'high',
      '--received',
      '2026-11-23T10:00',
      '--json',
    );
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ plan: null, firstResponseDue: null });
    try {
      new SlaClock(policy).schedule({ queue: policy.queues[0]!.name, priority: 'high', plan: 'gold', receivedAt: 0 });
      expect.unreachable();
    } catch (error) {
      expect(isAtendeError(error, 'policy.unknownPlan')).toBe(true);
      expect((error as Error).message).toContain('defines no plans');
    }
  });
});
