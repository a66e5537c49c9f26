import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { describeProblem, type PolicyProblem, parsePolicy } from '../../../lib/domain/policy/parse-policy.ts';
import { policyJsonSchema } from '../../../lib/domain/policy/policy-json-schema.ts';
import { repositoryPath } from '../../support/policy-fixtures.ts';

const defaultText = readFileSync(repositoryPath('policy/default.yaml'), 'utf8');

/** Parses `text` expecting failure; returns the error code and its problems as printed. */
function problemsOf(text: string): { code: string; lines: string[]; problems: PolicyProblem[] } {
  try {
    parsePolicy(text, 'test.yaml');
  } catch (error) {
    if (!(error instanceof AtendeError)) throw error;
    const problems = error.details['problems'] as PolicyProblem[];
    return { code: error.code, problems, lines: problems.map(describeProblem) };
  }
  throw new Error('expected the policy to be rejected');
}

describe('the policy file', () => {
  it('accepts the default policy and names its queues after their addresses', () => {
    const policy = parsePolicy(defaultText);
    expect(policy.queues.map((queue) => queue.name)).toEqual(['servicedesk', 'installteam', 'partnersupport']);
    expect(policy.priorities.levels.map((priority) => priority.name)).toEqual(['critical', 'high', 'medium']);
    expect(policy.plans?.levels.map((plan) => plan.name)).toEqual(['basic', 'regular', 'premium']);
    expect(policy.sla.firstResponseIs).toBe('agent-reply');
    expect(policy.waitingOnCustomer).toMatchObject({ remindAfter: 24 * 60, closeAfter: 48 * 60 });
    expect(policy.conduct.minFollowUpInterval).toBe(40);
  });

  it('names the path and line of an address that is not an e-mail address', () => {
    const { code, lines } = problemsOf(
      defaultText.replace('address: servicedesk@example.com', 'address: not-an-address'),
    );
    expect(code).toBe('policy.invalid');
    const line = defaultText.split('\n').findIndex((text) => text.includes('address: servicedesk@example.com')) + 1;
    expect(lines).toContain(`queues[0].address: "not-an-address" is not an e-mail address (line ${line})`);
  });

  it('reports every problem at once, each with its line', () => {
    const broken = defaultText
      .replace('timeZone: America/Toronto', 'timeZone: Toronto/Canada')
      .replace('sat: "09:00-18:00"', 'sat: "18:00-09:00"')
      .replace('{ priority: critical, within: 1h }', '{ priority: critical, within: 1 day }')
      .replace('  tag: Atende', '  tag: Atende\n  colour: blue');
    const { problems } = problemsOf(broken);
    expect(problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining([
        'calendars.eastern-extended.timeZone',
        'calendars.eastern-extended.week.sat',
        'sla.firstResponse[0].within',
        'brand',
      ]),
    );
    expect(problems.every((problem) => typeof problem.line === 'number')).toBe(true);
    expect(problems.find((problem) => problem.path === 'brand')!.message).toBe('unknown key "colour"');
  });

  it('lists the valid choices when a section refers to something undefined', () => {
    const { lines } = problemsOf(
      defaultText
        .replace('calendar: around-the-clock', 'calendar: always-open')
        .replace('default: medium', 'default: normal'),
    );
    expect(lines.join('\n')).toContain(
      'queues[1].calendar: "always-open" is not a calendar; valid calendars: eastern-extended, eastern-office, around-the-clock, eastern-weekdays',
    );
    expect(lines.join('\n')).toContain(
      'priorities.default: "normal" is not a priority; valid priorities: critical, high, medium',
    );
  });

  it('refuses an escalation contact whose language the policy does not offer', () => {
    const { lines } = problemsOf(
      defaultText.replace(
        'address: service-manager@example.com }',
        'address: service-manager@example.com, language: fr }',
      ),
    );
    expect(lines.join('\n')).toContain(
      'sla.escalation.levels[0].contacts[0].language: "fr" is not a offered language; valid offered languages: en, es, pt-BR',
    );
  });

  it('reports a YAML syntax error with its line', () => {
    const { code, problems } = problemsOf('brand:\n  name: x\n  tag: [unclosed\nqueues: []\n');
    expect(code).toBe('policy.yamlSyntax');
    expect(problems[0]!.line).toBeGreaterThan(0);
  });

  it('says which key is required when one is missing', () => {
    const { lines } = problemsOf(defaultText.replace(/^statuses:[\s\S]*$/m, ''));
    expect(lines.some((line) => line.startsWith('statuses: is required'))).toBe(true);
  });

  it('says a value of the wrong type is of the wrong type, not that it is missing', () => {
    // This used to print "waitingOnCustomer.pausesSla: is required (boolean)": zod left the input out of its issues.
    const { lines } = problemsOf(
      defaultText
        .replace('pausesSla: true', 'pausesSla: yes')
        .replace('  max: 10', '  max: ten')
        .replace('{ priority: critical, within: 1h }', '{ priority: critical, within: 1 }')
        .replace('    week: 24/7', '    week: 7'),
    );
    const message = (path: string) => lines.find((line) => line.startsWith(`${path}: `))?.replace(/ \(line \d+\)$/, '');
    expect(message('waitingOnCustomer.pausesSla')).toBe(
      'waitingOnCustomer.pausesSla: expected a boolean, got the string "yes"',
    );
    expect(message('participants.max')).toBe('participants.max: expected a number, got the string "ten"');
    expect(message('sla.firstResponse[0].within')).toMatch(
      /^sla\.firstResponse\[0\]\.within: expected .*, got the number 1$/,
    );
    expect(message('calendars.around-the-clock.week')).toBe(
      'calendars.around-the-clock.week: expected "24/7" or one entry per weekday (mon … sun), got the number 7',
    );
    expect(lines.every((line) => !line.includes('is required') && !line.includes('Invalid input'))).toBe(true);
  });

  it('names the allowed values of a setting given one it does not know', () => {
    const { lines } = problemsOf(defaultText.replace('  shouting: flag', '  shouting: [flag]'));
    expect(lines.join('\n')).toContain('conduct.shouting: expected one of "flag", "ignore", got a list');
  });

  it.each([
    ['waitingOnCustomer.remindAfter', 'remindAfter: 24h', 'remindAfter: 0m'],
    ['waitingOnCustomer.closeAfter', 'closeAfter: 48h', 'closeAfter: 0 hours'],
    ['sla.escalation.levels[2].after', '- after: 4h', '- after: 0h'],
    ['conduct.minFollowUpInterval', 'minFollowUpInterval: 40m', 'minFollowUpInterval: 0m'],
    ['conduct.noticeEvery', 'noticeEvery: 7d', 'noticeEvery: 0d'],
  ])('refuses a zero delay for %s', (path, from, to) => {
    expect(defaultText.split(from)).toHaveLength(2);
    const { code, problems } = problemsOf(defaultText.replace(from, to));
    expect(code).toBe('policy.invalid');
    expect(problems).toEqual([expect.objectContaining({ path, message: expect.stringContaining('longer than zero') })]);
  });

  it('still takes "breach" for an escalation at once', () => {
    const policy = parsePolicy(defaultText);
    expect(policy.sla.escalation?.levels[0]?.after).toBe(0);
  });

  it("limits web-form tickets per address and per IP: 10 and 100 an hour unless the policy's webForm says", () => {
    const withoutSection = defaultText.slice(0, defaultText.indexOf('\nwebForm:'));
    expect(withoutSection).not.toContain('\nwebForm:');
    expect(parsePolicy(withoutSection).webForm).toEqual({
      perAddress: { tickets: 10, per: 60 },
      perIp: { tickets: 100, per: 60 },
    });
    const office = parsePolicy(
      defaultText.replace('perIp: { tickets: 100, per: 1h }', 'perIp: { tickets: 2000, per: 1d }'),
    );
    expect(office.webForm.perIp).toEqual({ tickets: 2000, per: 24 * 60 });
    expect(office.webForm.perAddress).toEqual({ tickets: 10, per: 60 });
    expect(
      problemsOf(defaultText.replace('perAddress: { tickets: 10, per: 1h }', 'perAddress: { tickets: 0, per: 1h }'))
        .problems[0]!.path,
    ).toBe('webForm.perAddress.tickets');
  });

  it('takes a brand logo only as an https:// address', () => {
    const withLogo = (logo: string) => defaultText.replace('  tag: Atende', `  tag: Atende\n  logo: "${logo}"`);
    expect(parsePolicy(withLogo('https://cdn.example.com/logo.svg')).brand.logo).toBe(
      'https://cdn.example.com/logo.svg',
    );
    expect(parsePolicy(defaultText).brand.logo).toBeUndefined();
    for (const logo of ['http://cdn.example.com/logo.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA']) {
      expect(problemsOf(withLogo(logo)).problems.map((problem) => problem.path)).toEqual(['brand.logo']);
    }
  });

  it('is described by the JSON Schema committed in policy/schema.json (regenerate with npm run schema)', () => {
    const committed = JSON.parse(readFileSync(repositoryPath('policy/schema.json'), 'utf8'));
    expect(committed).toEqual(policyJsonSchema());
  });

  it('points editors at the schema from its first line', () => {
    expect(defaultText.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema.json');
  });
});
