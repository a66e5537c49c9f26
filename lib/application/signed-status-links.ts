import type { Policy } from '../domain/policy/policy-schema.ts';
import {
  checkStatusToken,
  parseStatusToken,
  type StatusTokenCheck,
  type StatusTokenClaim,
  signStatusToken,
} from '../domain/ticket/status-token.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import type { Clock } from './ports/clock.ts';
import type { StatusLinks } from './ports/status-links.ts';

/** The path prefix of a ticket's status page: `GET /t/<token>`. */
export const STATUS_PATH_PREFIX = '/t/';

/** Reads the tokens of status links: their claims, then whether the ticket they name signed them. */
export interface StatusTokenReader {
  claim(token: string): StatusTokenClaim | null;
  check(claim: StatusTokenClaim, ticket: Ticket): StatusTokenCheck;
}

/**
 * Status links signed with the deployment's secret: `<base>/t/<token>`, valid for the policy's
 * `statusPage.linkValidFor` from the moment the link is made (every mail carries a fresh one).
 */
export class SignedStatusLinks implements StatusLinks, StatusTokenReader {
  private readonly base: string;

  constructor(
    private readonly options: {
      readonly secret: Uint8Array;
      /** Where atende answers `GET /t/<token>`, e.g. http://127.0.0.1:8025 or ATENDE_PUBLIC_URL. */
      readonly baseUrl: string;
      readonly policy: Policy;
      readonly clock: Clock;
    },
  ) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  linkFor(ticket: Ticket): string {
    const expiresAt = this.options.clock.now() + this.options.policy.statusPage.linkValidFor * 60_000;
    const token = signStatusToken(this.options.secret, {
      ticketNumber: ticket.number,
      requester: ticket.requester,
      expiresAt,
    });
    return `${this.base}${STATUS_PATH_PREFIX}${token}`;
  }

  claim(token: string): StatusTokenClaim | null {
    return parseStatusToken(token);
  }

  check(claim: StatusTokenClaim, ticket: Ticket): StatusTokenCheck {
    if (claim.ticketNumber !== ticket.number) return 'tampered';
    return checkStatusToken(this.options.secret, claim, ticket.requester, this.options.clock.now());
  }
}
