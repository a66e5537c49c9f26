import { maskSecrets } from '../mail/secret-redaction.ts';
import type { SatisfactionRating, Ticket } from './ticket.ts';

/** Characters of a survey comment kept: a few paragraphs; the page's form says so too. */
export const SURVEY_COMMENT_MAX_CHARS = 2_000;

/**
 * What a comment must not hold: C0 controls but tab and line feed, DEL, C1 controls, the
 * bidirectional controls (Trojan Source: they reorder what agents read), line and paragraph
 * separators, and lone surrogates. The `u` flag makes a paired surrogate one code point, so only
 * a lone one matches. One pass, linear.
 */
const UNWANTED =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

export interface SurveyComment {
  /** The comment as stored, or null when nothing is left of it. */
  readonly text: string | null;
  readonly secretsMasked: boolean;
}

/**
 * A customer's comment as the ticket keeps it: line breaks as LF, control characters removed,
 * secrets masked (first, so a secret cut at the limit cannot leave its start unmasked), then cut
 * to SURVEY_COMMENT_MAX_CHARS code points.
 */
export function surveyComment(raw: string): SurveyComment {
  const clean = raw.replace(/\r\n?/g, '\n').replace(UNWANTED, '').trim();
  if (clean === '') return { text: null, secretsMasked: false };
  const masked = maskSecrets(clean);
  const points = Array.from(masked.text);
  const text =
    points.length > SURVEY_COMMENT_MAX_CHARS
      ? points.slice(0, SURVEY_COMMENT_MAX_CHARS).join('').trimEnd()
      : masked.text;
  return { text, secretsMasked: masked.found.length > 0 };
}

/**
 * The ticket with a survey answer, or null when there is nothing to record. The rating is
 * recorded once: a second link (the other rating, or the same again) changes nothing. A comment
 * is added once, to the answer already recorded or with the rating it comes with.
 */
export function answerSurvey(
  ticket: Ticket,
  answer: { readonly rating: SatisfactionRating; readonly comment: SurveyComment; readonly at: string },
): Ticket | null {
  const current = ticket.satisfaction;
  const comment = answer.comment.text;
  if (current !== null && (comment === null || current.comment !== null)) return null;
  const satisfaction = current === null ? { rating: answer.rating, comment, at: answer.at } : { ...current, comment };
  const flags = answer.comment.secretsMasked
    ? [...new Set([...ticket.flags, 'secrets-masked' as const])]
    : ticket.flags;
  return { ...ticket, satisfaction, flags, updatedAt: answer.at };
}
