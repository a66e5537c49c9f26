import { describe, expect, it } from 'vitest';
import { dkimPassDomains } from '../../../lib/domain/routing/authentication-results.ts';
import { authenticateSender, domainsAlign } from '../../../lib/domain/routing/sender-authentication.ts';

describe('how far a From address is proven', () => {
  it.each([
    ['DMARC passes', { dmarc: 'PASS' }, 'authenticated'],
    [
      'DKIM passes for the From domain and the domain has no DMARC',
      { dkim: 'PASS', dmarc: 'GRAY', dkimDomains: ['example.com'] },
      'authenticated',
    ],
    [
      'DKIM passes for a subdomain of the From domain',
      { dkim: 'PASS', dkimDomains: ['mail.example.com'] },
      'authenticated',
    ],
    ['DKIM passes for another domain', { dkim: 'PASS', dkimDomains: ['mailer.example.net'] }, 'unverified'],
    ['DKIM passes without saying whose signature', { dkim: 'PASS' }, 'unverified'],
    [
      'DKIM passes for the From domain but DMARC fails',
      { dkim: 'PASS', dmarc: 'FAIL', dkimDomains: ['example.com'] },
      'unverified',
    ],
    ['SPF passes alone (it vouches for the envelope, not the From)', { spf: 'PASS' }, 'unverified'],
    ['SPF and DKIM both fail', { spf: 'FAIL', dkim: 'FAIL' }, 'failed'],
    ['SPF fails and DKIM is absent', { spf: 'FAIL' }, 'unverified'],
    ['nothing is known', {}, 'unverified'],
  ] as const)('%s: %s', (_, verdicts, expected) => {
    expect(authenticateSender('carla@example.com', { verdicts })).toBe(expected);
  });

  it('takes the local listener’s SMTP AUTH user for the From address itself, and nobody else', () => {
    expect(authenticateSender('Alice@Example.com', { submittedBy: 'alice@example.com' })).toBe('authenticated');
    expect(authenticateSender('bob@example.com', { submittedBy: 'alice@example.com' })).toBe('failed');
  });

  it('aligns a domain with itself, its parents and children, never a sibling or a mere suffix', () => {
    expect(domainsAlign('example.com', 'mail.example.com')).toBe(true);
    expect(domainsAlign('mail.example.com', 'example.com')).toBe(true);
    expect(domainsAlign('badexample.com', 'example.com')).toBe(false);
    expect(domainsAlign('a.example.com', 'b.example.com')).toBe(false);
  });
});

describe("SES's Authentication-Results", () => {
  it('names the domains whose DKIM signature passed, by header.d or header.i', () => {
    expect(
      dkimPassDomains([
        'amazonses.com; spf=pass (spfCheck: domain of example.com designates 1.2.3.4 as permitted sender) client-ip=1.2.3.4; envelope-from=carla@example.com; dkim=pass header.i=@example.com; dkim=fail header.d=other.example; dmarc=pass header.from=example.com;',
      ]),
    ).toEqual(['example.com']);
    expect(dkimPassDomains(['amazonses.com; dkim=pass (signature verified) header.d=Mail.Example.com'])).toEqual([
      'mail.example.com',
    ]);
  });

  it('trusts only the topmost header, and only when SES wrote it: a sender may write one of their own below', () => {
    const forged = 'amazonses.com; dkim=pass header.d=example.com';
    expect(dkimPassDomains(['amazonses.com; dkim=fail header.d=attacker.example', forged])).toEqual([]);
    expect(dkimPassDomains(['mx.attacker.example; dkim=pass header.d=example.com'])).toBeNull();
    expect(dkimPassDomains([])).toBeNull();
  });
});
