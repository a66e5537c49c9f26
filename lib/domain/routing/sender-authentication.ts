import type { InboundVerdicts } from './inbound-verdicts.ts';

/**
 * How far a mail's From address is proven:
 * - `authenticated`: the From domain vouched for the mail (DMARC PASS, or a verified DKIM
 *   signature of the From domain where DMARC did not fail), or the local listener's SMTP AUTH
 *   user is the From address;
 * - `failed`: evidence says it is not from there (SPF and DKIM both FAIL, or a mail submitted
 *   with SMTP AUTH under another address);
 * - `unverified`: no evidence either way (a domain without SPF or DKIM; local mail without AUTH).
 * Staff are staff only when `authenticated`: a From header is typed by whoever sends the mail.
 */
export type SenderAuthentication = 'authenticated' | 'failed' | 'unverified';

export interface SenderEvidence {
  readonly verdicts?: InboundVerdicts | undefined;
  /** The SMTP AUTH identity the mail was submitted with (the local listener), lower-cased. */
  readonly submittedBy?: string | null | undefined;
  /** How many authors the From fields name (InboundMail.authorCount); one when absent. */
  readonly authorCount?: number | undefined;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const is = (value: string | undefined, expected: string): boolean => value?.toUpperCase() === expected;

/**
 * RFC 7489 §3.1.1 relaxed alignment compares organizational domains; without the public suffix
 * list, a signing domain aligns when it is the From domain or a parent or child of it
 * (mail.example.com and example.com), never a sibling or a mere suffix (badexample.com).
 */
export function domainsAlign(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

export function authenticateSender(from: string, evidence: SenderEvidence): SenderAuthentication {
  const sender = from.toLowerCase();
  // `From: carla@example.com, mallory@evil.example`: a DMARC or SMTP AUTH pass may vouch for
  // Mallory's domain, and nothing says which author it was (RFC 7489 §6.6.1 leaves it open).
  // That mail relayed #resolve as Carla's: several authors prove none of them.
  if ((evidence.authorCount ?? 1) > 1) return 'unverified';
  const submittedBy = evidence.submittedBy?.toLowerCase();
  if (submittedBy) return submittedBy === sender ? 'authenticated' : 'failed';

  const verdicts = evidence.verdicts ?? {};
  if (is(verdicts.dmarc, 'PASS')) return 'authenticated';
  const fromDomain = domainOf(sender);
  // A DKIM pass says some signature verified, not whose: only one by the From domain speaks for it.
  const alignedDkim =
    is(verdicts.dkim, 'PASS') && (verdicts.dkimDomains ?? []).some((domain) => domainsAlign(domain, fromDomain));
  if (alignedDkim && !is(verdicts.dmarc, 'FAIL')) return 'authenticated';
  if (is(verdicts.spf, 'FAIL') && is(verdicts.dkim, 'FAIL')) return 'failed';
  return 'unverified';
}
