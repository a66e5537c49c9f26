import type { Policy } from '../domain/policy/policy-schema.ts';
import { readSurveyToken, signSurveyToken } from '../domain/ticket/survey-token.ts';
import type { SatisfactionRating, Ticket } from '../domain/ticket/ticket.ts';
import type { Clock } from './ports/clock.ts';
import type { SurveyLinkPair, SurveyLinks } from './ports/survey-links.ts';

/**
 * Survey links signed with the deployment's secret: `<base>/survey/<token>`, answered by
 * `GET /survey/<token>`; or, where the policy names an external survey page (`survey.url`),
 * that page with `?ticket=N&rating=good|bad&token=<token>` added to its own query, so the page
 * can hand the token back to be verified.
 */
export class SignedSurveyLinks implements SurveyLinks {
  private readonly base: string;

  constructor(
    private readonly options: {
      readonly secret: Uint8Array;
      /** Where atende answers `GET /survey/<token>`, e.g. http://127.0.0.1:8025. */
      readonly baseUrl: string;
      readonly policy: Policy;
      readonly clock: Clock;
    },
  ) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  linksFor(ticket: Ticket): SurveyLinkPair {
    return { good: this.link(ticket.number, 'good'), bad: this.link(ticket.number, 'bad') };
  }

  read(token: string) {
    return readSurveyToken(this.options.secret, token, this.options.clock.now());
  }

  private link(ticketNumber: number, rating: SatisfactionRating): string {
    const token = signSurveyToken(this.options.secret, { ticketNumber, rating, issuedAt: this.options.clock.now() });
    const external = this.options.policy.survey.url;
    if (external === undefined) return `${this.base}/survey/${token}`;
    const url = new URL(external);
    url.searchParams.set('ticket', String(ticketNumber));
    url.searchParams.set('rating', rating);
    url.searchParams.set('token', token);
    return url.toString();
  }
}
