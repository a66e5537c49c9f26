import { TICKET_STATUSES, type TicketStatus } from '../policy/policy-schema.ts';

/** What an agent asked for in a reply, and the reply as the customer should read it. */
export interface AgentReply {
  readonly status: TicketStatus | null;
  /** The reply without command lines. */
  readonly text: string;
}

/** Short names agents may type for statuses (`#status waiting`). */
const STATUS_ALIASES: Readonly<Record<string, TicketStatus>> = {
  waiting: 'waiting-on-customer',
  pending: 'waiting-on-customer',
  'waiting-on-customer': 'waiting-on-customer',
  progress: 'in-progress',
  working: 'in-progress',
  solved: 'resolved',
  done: 'resolved',
};

/** `#status`, an optional colon, the status; `(?:[ \t]*:)?[ \t]+` reads spaces one way only, so a long run of them is linear. */
const COMMAND = /^[ \t]*#status(?:[ \t]*:)?[ \t]+([a-z-]+)[ \t]*$/im;

/**
 * Reads a `#status <status>` line an agent puts in a reply (e.g. `#status waiting`),
 * anywhere in the new text, and removes it so the customer never sees it.
 * An unknown status is left in the text, untouched: better a visible typo than a silent change.
 */
export function readAgentReply(text: string): AgentReply {
  const match = COMMAND.exec(text);
  if (!match) return { status: null, text };
  const word = match[1]!.toLowerCase();
  const status = (TICKET_STATUSES as readonly string[]).includes(word) ? (word as TicketStatus) : STATUS_ALIASES[word];
  if (!status) return { status: null, text };
  const without = text.slice(0, match.index) + text.slice(match.index + match[0].length);
  return {
    status,
    text: without
      .replace(/^\s*\n/, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
  };
}
