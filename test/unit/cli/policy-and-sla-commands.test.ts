import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../lib/domain/policy/policy-schema.ts';
import { repositoryPath } from '../../support/policy-fixtures.ts';
import { runCli } from '../../support/run-cli.ts';

describe('atende policy check', () => {
  it('passes the default policy with a short summary', async () => {
    const run = await runCli('policy', 'check');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('queues:      servicedesk <servicedesk@example.com>');
    expect(run.stdout).toContain('priorities:  critical, high, medium');
    expect(run.stdout).toContain('plans:       basic, regular, premium');
  });

  it('fails a copy of the default with an invalid address, naming the path and line', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'atende-policy-'));
    const file = join(folder, 'broken.yaml');
    writeFileSync(
      file,
      readFileSync(repositoryPath('policy/default.yaml'), 'utf8').replace(
        'agents: installteam-agents@example.com',
        'agents: installteam-agents',
      ),
    );
    const run = await runCli('policy', 'check', file);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/queues\[1\]\.agents: "installteam-agents" is not an e-mail address \(line \d+\)/);

    const json = await runCli('policy', 'check', file, '--json');
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      code: 'policy.invalid',
      problems: [{ path: 'queues[1].agents' }],
    });
  });

  it('fails a file that does not exist', async () => {
    const run = await runCli('policy', 'check', '/nonexistent/policy.yaml');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('does not exist');
  });

  it('prints the summary as JSON with --json', async () => {
    const run = await runCli('policy', 'check', '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: true,
      priorities: { default: 'medium', names: ['critical', 'high', 'medium'] },
    });
  });
});

describe("the README's policy check example", () => {
  it('is what atende policy check prints for the copy of the default policy the README describes', async () => {
    // Prepare: the README's example output, and the copy of the default policy its text describes.
    const readme = readFileSync(repositoryPath('README.md'), 'utf8');
    const example = /```\n(my-policy\.yaml is not a valid policy:\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the README shows the output of a failed policy check').toBeDefined();
    const edits: [string, string][] = [
      ['address: servicedesk@example.com', 'address: servicedesk'],
      ['- after: 2h', '- after: 0m'],
      ['pausesSla: true', 'pausesSla: yes'],
    ];
    let text = readFileSync(repositoryPath('policy/default.yaml'), 'utf8');
    for (const [from, to] of edits) {
      expect(text.split(from)).toHaveLength(2); // each edit changes exactly one place
      text = text.replace(from, to);
    }
    const folder = mkdtempSync(join(tmpdir(), 'atende-readme-'));
    writeFileSync(join(folder, 'my-policy.yaml'), text);

    // Act: the real command, run from the folder the file is in, as the README runs it.
    const run = await promisify(execFile)(
      process.execPath,
      [repositoryPath('lib/cli/atende.mjs'), 'policy', 'check', 'my-policy.yaml'],
      { cwd: folder },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(example);
  });
});

describe('atende sla', () => {
  it('prints both due times as ISO strings with --json', async () => {
    const run = await runCli(
      'sla',
      '--queue',
      'servicedesk',
      '--priority',
      'high',
      '--plan',
      'premium',
      '--received',
      '2026-11-20T17:30:00-05:00',
      '--json',
    );
    expect(run.exitCode).toBe(0);
    const sla = JSON.parse(run.stdout);
    expect(sla).toMatchObject({
      firstResponseDue: '2026-11-20T23:00:00.000Z',
      resolutionDue: '2026-11-22T16:30:00.000Z',
      timeZone: 'America/Toronto',
      local: { firstResponseDue: '2026-11-20T18:00:00-05:00', resolutionDue: '2026-11-22T11:30:00-05:00' },
    });
    expect(
      sla.escalations.filter((escalation: { target: string }) => escalation.target === 'firstResponse'),
    ).toHaveLength(3);
  });

  it('shows local time and UTC for people', async () => {
    const run = await runCli(
      'sla',
      '--queue',
      'servicedesk',
      '--priority',
      'high',
      '--plan',
      'premium',
      '--received',
      '2026-11-20T17:30:00-05:00',
    );
    expect(run.stdout).toMatch(/due\s+Fri 2026-11-20 18:00 EST\s+\(2026-11-20T23:00:00.000Z\)/);
  });

  it("reads a time without offset as the calendar's local time", async () => {
    const run = await runCli(
      'sla',
      '--queue',
      'servicedesk',
      '--priority',
      'high',
      '--plan',
      'premium',
      '--received',
      '2026-11-20T17:30',
      '--json',
    );
    expect(JSON.parse(run.stdout).receivedAt).toBe('2026-11-20T22:30:00.000Z');
  });

  it('shows that a 24/7 queue keeps only the hours of "4h or end of business day", its business day never ending', async () => {
    const args = ['sla', '--queue', 'installteam', '--priority', 'medium', '--received', '2026-11-23T22:00'];
    const json = JSON.parse((await runCli(...args, '--json')).stdout);
    expect(json).toMatchObject({
      firstResponseDue: '2026-11-24T07:00:00.000Z',
      firstResponseTarget: '4h or end of business day',
    });
    const text = (await runCli(...args)).stdout;
    expect(text).toMatch(
      /First response: 4h or end of business day {2}\(stricter of: 24h \| 4h or end of business day\)/,
    );
    expect(text).toMatch(/due\s+Tue 2026-11-24 02:00 EST/);
  });

  it.each([
    ['chat', 'premium', '2026-11-23T09:30:00.000Z'],
    ['chat', 'regular', '2026-11-23T13:00:00.000Z'],
    ['email', 'premium', '2026-11-24T09:00:00.000Z'],
    ['web', 'premium', '2026-11-24T09:00:00.000Z'],
  ])("asks 360dialog's %s table for a %s customer", async (channel, plan, due) => {
    const run = await runCli(
      'sla',
      '--policy',
      'policy/examples/360dialog.yaml',
      '--queue',
      'support',
      '--priority',
      'sev2',
      '--plan',
      plan,
      '--channel',
      channel,
      '--received',
      '2026-11-23T10:00:00+01:00',
      '--json',
    );
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ channel, firstResponseDue: due });
  });

  it('accepts every channel of the policy language and says which when refusing one', async () => {
    const base = ['sla', '--queue', 'servicedesk', '--priority', 'high', '--received', '2026-11-20T17:30'];
    for (const channel of CHANNELS) {
      const run = await runCli(...base, '--channel', channel, '--json');
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout).channel).toBe(channel);
    }
    const refused = await runCli(...base, '--channel', 'fax');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(CHANNELS.join(', '));
  });

  it.each([
    [['--queue', 'helpdesk', '--priority', 'high'], 'valid queues: servicedesk, installteam, partnersupport'],
    [['--queue', 'servicedesk', '--priority', 'p1'], 'valid priorities: critical, high, medium'],
    [['--queue', 'servicedesk', '--priority', 'high', '--plan', 'gold'], 'valid plans: basic, regular, premium'],
  ])('exits 2 on %j listing the valid names', async (args, valid) => {
    const run = await runCli('sla', ...args, '--received', '2026-11-20T17:30:00-05:00');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(valid);
  });

  it('exits 2 on a missing option or an unreadable time', async () => {
    expect((await runCli('sla', '--queue', 'servicedesk')).exitCode).toBe(2);
    expect(
      (await runCli('sla', '--queue', 'servicedesk', '--priority', 'high', '--received', 'yesterday')).exitCode,
    ).toBe(2);
    expect(
      (
        await runCli(
          'sla',
          '--queue',
          'servicedesk',
          '--priority',
          'high',
          '--received',
          '2026-11-20T17:30',
          '--channel',
          'fax',
        )
      ).exitCode,
    ).toBe(2);
  });

  it('names the first required option missing, in the order commander would, though it has a subcommand', async () => {
    const noPriority = await runCli('sla', '--queue', 'servicedesk', '--received', '2026-11-20T17:30');
    const nothing = await runCli('sla');

    expect(noPriority.exitCode).toBe(2);
    expect(noPriority.stderr).toContain("error: required option '--priority <priority>' not specified");
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toContain("error: required option '--queue <queue>' not specified");
  });

  it('has sla report beside it, with its own --queue and the JSON fields in its help', async () => {
    const help = await runCli('sla', 'report', '--help');
    const badQueueOption = await runCli('sla', 'report', '--queue');

    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: atende sla report [options]');
    expect(help.stdout).toContain('firstResponse and resolution: {met, breached, openWithin, attainmentPercent}');
    expect(badQueueOption.exitCode).toBe(2);
    expect(badQueueOption.stderr).toContain("option '--queue <queue>' argument missing");
  });

  it('offers --help on every command', async () => {
    for (const args of [[], ['policy'], ['policy', 'check'], ['sla'], ['customers'], ['customers', 'suspend']]) {
      const run = await runCli(...args, '--help');
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('Usage: atende');
    }
  });
});

describe('the atende executable', () => {
  it('runs from the package bin after npm ci', async () => {
    const bin = repositoryPath('lib/cli/atende.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'sla',
      '--queue',
      'installteam',
      '--priority',
      'critical',
      '--received',
      '2026-11-22T03:00:00-05:00',
      '--json',
    ]);
    expect(JSON.parse(stdout).firstResponseDue).toBe('2026-11-22T09:00:00.000Z');
  });
});

describe('atende --version', () => {
  it('prints the version of the package it ships with, and exits 0', async () => {
    const run = await runCli('--version');
    const manifest = JSON.parse(readFileSync(repositoryPath('package.json'), 'utf8')) as { version: string };

    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe(manifest.version);
  });
});
