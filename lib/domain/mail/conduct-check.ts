import type { Policy } from '../policy/policy-schema.ts';
import type { TicketFlag } from '../ticket/ticket.ts';
import { keywordMatcher } from './keyword-matching.ts';
import { withoutLinksAndAddresses } from './links-and-addresses.ts';
import { stripQuotedReply } from './quoted-reply.ts';

/** The conduct flags a message itself can earn (the others come from the ticket's history). */
export type MessageTicketFlag = Extract<TicketFlag, 'shouting' | 'rude-words'>;

/** What the check needs of a policy: `conduct.shouting` and `conduct.rudeWords`. */
export interface ConductRules {
  readonly conduct: Pick<Policy['conduct'], 'shouting' | 'rudeWords'>;
}

export interface ConductMessage {
  readonly subject: string;
  readonly text: string;
}

/** Fewer cased letters than this say too little to call a message shouting. */
export const SHOUTING_MIN_LETTERS = 20;
/** Share of upper-case letters from which a message is shouting. */
export const SHOUTING_MIN_RATIO = 0.7;

/**
 * The conduct flags for agents (seed policies 003, 004): `shouting` when the policy asks for
 * it and the customer's own words are mostly capitals; `rude-words` when they contain one of
 * the policy's rude words in any of its languages (a customer may be rude in a language other
 * than the one the ticket is answered in). Only what the customer wrote counts: quoted
 * history, signatures, addresses and URLs are left out.
 */
export function checkConduct(rules: ConductRules, message: ConductMessage): MessageTicketFlag[] {
  const ownWords = withoutSignature(stripQuotedReply(message.text));
  const flags: MessageTicketFlag[] = [];
  if (rules.conduct.shouting === 'flag' && (isShouting(ownWords) || isShouting(message.subject, 12)))
    flags.push('shouting');
  const rude = keywordMatcher(Object.values(rules.conduct.rudeWords).flat());
  if (rude.found(`${message.subject}\n${ownWords}`).length > 0) flags.push('rude-words');
  return flags;
}

/**
 * Mostly capitals: counted over letters that have a case, in words of four letters or more,
 * so that acronyms (API, SLA, PDF, URL) and codes with digits (ERR500, SKU-4411) do not tip a
 * normal sentence, and scripts without case (Chinese, Japanese) never shout.
 */
export function isShouting(text: string, minLetters = SHOUTING_MIN_LETTERS): boolean {
  const plain = withoutLinksAndAddresses(text);
  let upper = 0;
  let cased = 0;
  for (const word of plain.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (/\p{N}/u.test(word) || [...word].length < 4) continue;
    for (const char of word) {
      const isUpper = char !== char.toLowerCase();
      const isLower = char !== char.toUpperCase();
      if (!isUpper && !isLower) continue;
      cased++;
      if (isUpper) upper++;
    }
  }
  return cased >= minLetters && upper / cased >= SHOUTING_MIN_RATIO;
}

/** Cuts at the RFC 3676 §4.3 signature separator "-- " (and the common "--" without the space). */
function withoutSignature(text: string): string {
  const lines = text.split('\n');
  const separator = lines.findIndex((line) => /^--\s?$/.test(line));
  return separator < 0 ? text : lines.slice(0, separator).join('\n');
}
