import { checkConduct } from '../mail/conduct-check.ts';
import { maskSecrets, type SecretKind } from '../mail/secret-redaction.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { TicketFlag } from './ticket.ts';

/** Message text kept on the ticket; the raw mail keeps all of it (a DynamoDB item holds at most 400 KB). */
export const STORED_TEXT_LIMIT = 60_000;
/** Subject characters kept: RFC 5322 §2.1.1 lines stop at 998; a 130 KB subject (seen in the wild) is an attack or a bug. */
export const STORED_SUBJECT_LIMIT = 998;

/** What a customer wrote, as atende keeps and shows it, and what it says about their conduct. */
export interface CustomerWords {
  /** Secrets masked, at most STORED_SUBJECT_LIMIT characters (then "…"). */
  readonly subject: string;
  /** Secrets masked, at most STORED_TEXT_LIMIT characters (then "[…]"). */
  readonly text: string;
  readonly flags: TicketFlag[];
  /** The kinds of secret masked in subject or text, once each, for the acknowledgement to name. */
  readonly maskedKinds: SecretKind[];
}

export const capSubject = (subject: string): string =>
  subject.length > STORED_SUBJECT_LIMIT ? `${subject.slice(0, STORED_SUBJECT_LIMIT)}…` : subject;
const capText = (text: string): string =>
  text.length > STORED_TEXT_LIMIT ? `${text.slice(0, STORED_TEXT_LIMIT)}\n[…]` : text;

/** Anyone's words as stored and shown (an agent's too: agents paste what customers sent them): masked, capped. */
export function keptWords(written: { subject: string; text: string }): { subject: string; text: string } {
  return { subject: maskSecrets(capSubject(written.subject)).text, text: capText(maskSecrets(written.text).text) };
}

/**
 * The one place customer text becomes ticket text, for every channel: secrets are masked in
 * the subject as in the body (a key pasted into a subject would otherwise be listed, stored and
 * mailed to agents as is), lengths are capped, and the conduct check reads the customer's own words.
 * The subject is capped before masking so the masking works on what is kept.
 */
export function readCustomerWords(policy: Policy, written: { subject: string; text: string }): CustomerWords {
  const subject = maskSecrets(capSubject(written.subject));
  const text = maskSecrets(written.text);
  const flags: TicketFlag[] = [...checkConduct(policy, { subject: capSubject(written.subject), text: written.text })];
  const found = [...subject.found, ...text.found];
  if (found.length > 0) flags.push('secrets-masked');
  return {
    subject: subject.text,
    text: capText(text.text),
    flags,
    maskedKinds: [...new Set(found.map((finding) => finding.kind))],
  };
}
