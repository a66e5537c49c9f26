/** SES's verdicts on an inbound message (receipt.spamVerdict.status …, receipt.dmarcPolicy). */
export interface InboundVerdicts {
  readonly spam?: string | undefined;
  readonly virus?: string | undefined;
  readonly spf?: string | undefined;
  readonly dkim?: string | undefined;
  readonly dmarc?: string | undefined;
  /** The sender domain's DMARC policy: NONE, QUARANTINE or REJECT. */
  readonly dmarcPolicy?: string | undefined;
  /**
   * The domains whose DKIM signature on the message verified (`header.d`, or the domain of
   * `header.i`, of each `dkim=pass` in the receiver's Authentication-Results), lower-cased.
   * SES's dkimVerdict says that some signature passed, not whose: this says whose.
   */
  readonly dkimDomains?: readonly string[] | undefined;
}

export type VerdictRejection = 'inbound.spam' | 'inbound.virus' | 'inbound.dmarc';

/**
 * Mail SES judged spam or infected, or that fails DMARC where the sender's domain asks
 * receivers to quarantine or reject it, is kept raw and goes no further: no ticket, no reply
 * (answering would send our acknowledgement to a forged address).
 */
export function verdictRejection(verdicts: InboundVerdicts): VerdictRejection | null {
  const failed = (value: string | undefined) => value?.toUpperCase() === 'FAIL';
  if (failed(verdicts.virus)) return 'inbound.virus';
  if (failed(verdicts.spam)) return 'inbound.spam';
  const policy = verdicts.dmarcPolicy?.toUpperCase();
  if (failed(verdicts.dmarc) && (policy === 'QUARANTINE' || policy === 'REJECT')) return 'inbound.dmarc';
  return null;
}
