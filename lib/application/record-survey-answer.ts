import { AtendeError, isAtendeError } from '../domain/atende-error.ts';
import { answerSurvey, surveyComment } from '../domain/ticket/survey-answer.ts';
import type { SurveyToken } from '../domain/ticket/survey-token.ts';
import type { SatisfactionAnswer, Ticket } from '../domain/ticket/ticket.ts';
import { type ChangeOutcome, changeTicket } from './change-ticket.ts';
import type { SurveyLinks } from './ports/survey-links.ts';
import { eventTime, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';

export interface RecordSurveyAnswerDeps extends TicketKernelDeps {
  readonly surveyLinks: SurveyLinks;
}

export interface SurveyAnswerInput {
  /** The token of the link followed. */
  readonly token: string;
  /** The comment sent with it (the page's form), as typed; null for a link followed. */
  readonly comment: string | null;
}

export type SurveyAnswerOutcome =
  | {
      readonly outcome: 'recorded';
      readonly ticket: Ticket;
      readonly answer: SatisfactionAnswer;
      /** Whether this request added the comment. */
      readonly commented: boolean;
    }
  | { readonly outcome: 'already-recorded'; readonly ticket: Ticket; readonly answer: SatisfactionAnswer }
  | { readonly outcome: 'invalid'; readonly reason: string }
  | { readonly outcome: 'expired'; readonly ticketNumber: number; readonly ticket: Ticket | null }
  | { readonly outcome: 'ticket-not-found'; readonly ticketNumber: number };

/**
 * Records a satisfaction survey answer from a signed link, through the kernel (no message: the
 * answer lives on the ticket). One answer per ticket: its receipt is `survey:<ticket>`, so a
 * link followed again (a mail scanner's prefetch, a second click, the other rating) records
 * nothing and says the answer is already there. A comment is added once, under its own receipt
 * `survey-comment:<ticket>`, to the answer recorded or with the token's rating when there is
 * none yet.
 */
export async function recordSurveyAnswer(
  deps: RecordSurveyAnswerDeps,
  input: SurveyAnswerInput,
): Promise<SurveyAnswerOutcome> {
  const now = deps.clock.now();
  let token: SurveyToken;
  try {
    token = deps.surveyLinks.read(input.token);
  } catch (error) {
    if (isAtendeError(error, 'survey.invalidToken'))
      return { outcome: 'invalid', reason: String(error.details['reason']) };
    if (isAtendeError(error, 'survey.expired')) {
      const ticketNumber = Number(error.details['ticketNumber']);
      return { outcome: 'expired', ticketNumber, ticket: await deps.store.getTicket(ticketNumber) };
    }
    throw error;
  }
  const ticket = await deps.store.getTicket(token.ticketNumber);
  if (!ticket) return { outcome: 'ticket-not-found', ticketNumber: token.ticketNumber };
  const comment = surveyComment(input.comment ?? '');
  const event: TicketEvent = {
    key: `${comment.text === null ? 'survey' : 'survey-comment'}:${ticket.number}`,
    now,
    rawKey: null,
  };
  const at = eventTime(event);
  let outcome: ChangeOutcome<null>;
  try {
    outcome = await changeTicket(deps, event, ticket, (current) => {
      const next = answerSurvey(current, { rating: token.rating, comment, at });
      return next === null ? null : { next, message: null, mail: [], result: null };
    });
  } catch (error) {
    // Another request with this receipt is settling what it owes: its answer is committed (the
    // receipt is written with it), so this one is a repeat.
    if (!isAtendeError(error, 'inbound.inProgress')) throw error;
    return alreadyRecorded(deps, ticket.number);
  }
  if (outcome.outcome === 'changed' && outcome.ticket.satisfaction !== null) {
    return {
      outcome: 'recorded',
      ticket: outcome.ticket,
      answer: outcome.ticket.satisfaction,
      commented: comment.text !== null,
    };
  }
  return alreadyRecorded(deps, ticket.number);
}

/** The answer as stored now: a repeat, or a change another request made first. */
async function alreadyRecorded(deps: TicketKernelDeps, ticketNumber: number): Promise<SurveyAnswerOutcome> {
  const ticket = await deps.store.getTicket(ticketNumber);
  if (!ticket) return { outcome: 'ticket-not-found', ticketNumber };
  if (ticket.satisfaction === null) {
    // Only when the kernel quarantined the change (a ticket item too large to store): nothing was recorded.
    throw new AtendeError('survey.notRecorded', `the survey answer of ticket ${ticketNumber} could not be recorded`, {
      details: { ticketNumber },
    });
  }
  return { outcome: 'already-recorded', ticket, answer: ticket.satisfaction };
}
