import type { SurveyToken } from '../../domain/ticket/survey-token.ts';
import type { Ticket } from '../../domain/ticket/ticket.ts';

/** The two links of a satisfaction survey mail, one per rating. */
export interface SurveyLinkPair {
  readonly good: string;
  readonly bad: string;
}

/**
 * The satisfaction survey's signed links. Signing and reading share the deployment's secret,
 * which never leaves the implementation.
 */
export interface SurveyLinks {
  /** The links the resolution summary and the auto-close notice carry, issued now. */
  linksFor(ticket: Ticket): SurveyLinkPair;
  /** What a link's token says; `survey.invalidToken` or `survey.expired` (survey-token.ts) otherwise. */
  read(token: string): SurveyToken;
}
