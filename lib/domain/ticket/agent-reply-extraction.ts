import type { InboundMail } from '../mail/inbound-mail.ts';
import { DEFAULT_MAIL_LIMITS, type MailLimits } from '../mail/mail-limits.ts';
import { type HtmlReplyLine, readHtmlReplyLines } from '../mail/quoted-html.ts';
import { isForwardedMessageLine, stripQuotedReply, textAboveQuotedHistory } from '../mail/quoted-reply.ts';
import { containsAgentNotice, isReplyMarkerLine } from './agent-notice-markers.ts';

/** Why an agent's mail is not relayed to the customer. */
export const AGENT_REPLY_REFUSALS = [
  /** What is left still holds an agents' notification, or part of one (or the mail forwards one). */
  'internal-notice',
  /** Nothing was written above the reply marker, or nothing is left once quoted history is gone. */
  'no-new-text',
  /** Its command lines (`#status wating`, a `#note` below the text …) were not all understood. */
  'commands-not-understood',
] as const;
export type AgentReplyRefusal = (typeof AGENT_REPLY_REFUSALS)[number];

/** What extraction reads of an inbound mail. */
export type AgentReplyMail = Pick<InboundMail, 'text' | 'html' | 'textSource'>;

export type AgentReplyExtraction =
  | {
      readonly outcome: 'reply';
      /** The words the agent wrote, to be relayed (agent commands such as `#status` still in it). */
      readonly text: string;
      /** Which body they were read from: the text/plain part, or the HTML. */
      readonly source: 'plain' | 'html';
      /** Where the mail was cut: at our reply marker, at quoted history, or nowhere. */
      readonly cutAt: 'reply-marker' | 'quoted-history' | 'nothing';
    }
  | {
      readonly outcome: 'refused';
      readonly reason: AgentReplyRefusal;
      readonly source: 'plain' | 'html';
    };

/**
 * The words an agent wrote in a mail answering one of our notifications, or a refusal with
 * its reason. No internal notification, whole or in part, ever comes out as relay text:
 *
 * 1. The text/plain part is read when the mail has one that is not derived from the HTML;
 *    else the HTML, line by line, knowing which lines the mail client quoted.
 * 2. Only what is above the first reply marker line (any language) is kept. A marker under a
 *    forwarded-message line belongs to a forwarded notification: refused, `internal-notice`.
 * 3. Quoted history is removed: the attribution or "From: … Sent: …" block above the marker,
 *    and, without a marker, `>` quotes and client quote containers (`stripQuotedReply`;
 *    HTML quote containers and a pasted `<html>` document in `readHtmlReplyLines`).
 * 4. What is left is refused as `internal-notice` if it still holds a marker, a banner or the
 *    distinctive lines of a notice in any language, and as `no-new-text` if it is empty.
 *
 * A bottom-posted answer under a quoted notification is refused (`no-new-text`), as the
 * marker asks: whatever follows the marker may be the notice itself.
 *
 * Linear in the size of the mail; HTML is read within `maxHtmlChars` and `maxHtmlDepth`.
 */
export function extractAgentReply(
  mail: AgentReplyMail,
  limits: Pick<MailLimits, 'maxHtmlChars' | 'maxHtmlDepth'> = DEFAULT_MAIL_LIMITS,
): AgentReplyExtraction {
  const fromPlain = mail.textSource === 'plain' || mail.html === null;
  const source = fromPlain ? 'plain' : 'html';
  const lines: readonly HtmlReplyLine[] = fromPlain
    ? splitLines(mail.text).map((text) => ({ text, quoted: false }))
    : readHtmlReplyLines(mail.html ?? '', limits);

  const marker = lines.findIndex((line) => isReplyMarkerLine(line.text));
  let text: string;
  let cutAt: 'reply-marker' | 'quoted-history' | 'nothing';
  if (marker >= 0) {
    const above = lines.slice(0, marker);
    if (above.some((line) => isForwardedMessageLine(line.text))) {
      return { outcome: 'refused', reason: 'internal-notice', source };
    }
    text = textAboveQuotedHistory(ownLines(above));
    cutAt = 'reply-marker';
  } else {
    const own = ownLines(lines);
    // HTML quote containers are gone already; what is below a remaining history line is history too.
    text = fromPlain ? stripQuotedReply(own) : textAboveQuotedHistory(own);
    cutAt = text === own.trim() && lines.every((line) => !line.quoted) ? 'nothing' : 'quoted-history';
  }

  if (containsAgentNotice(text)) return { outcome: 'refused', reason: 'internal-notice', source };
  if (text === '') return { outcome: 'refused', reason: 'no-new-text', source };
  return { outcome: 'reply', text, source, cutAt };
}

const splitLines = (text: string): string[] => text.replace(/\r\n?/g, '\n').split('\n');

/** The writer's own lines, those the mail client did not mark as quoted, as one text. */
const ownLines = (lines: readonly HtmlReplyLine[]): string =>
  lines
    .filter((line) => !line.quoted)
    .map((line) => line.text)
    .join('\n');
