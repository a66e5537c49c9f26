/**
 * Every expected failure in atende is an AtendeError with a stable dotted code.
 * Callers (CLI, HTTP, Lambda edges) map codes to exit codes or status codes;
 * tests assert the code, never the message text.
 */
export type ErrorCode =
  | 'policy.fileNotFound'
  | 'policy.yamlSyntax'
  | 'policy.invalid'
  | 'policy.unknownQueue'
  | 'policy.unknownPriority'
  | 'policy.unknownPlan'
  | 'policy.unknownRegion'
  | 'policy.unknownChannel'
  | 'sla.invalidTime'
  | 'calendar.neverOpen'
  | 'conduct.suspensionNotAllowed'
  | 'conduct.notSuspendable'
  | 'store.duplicateReceipt'
  | 'store.duplicateMessageId'
  | 'store.duplicateMessage'
  | 'store.versionConflict'
  | 'store.ticketNotFound'
  | 'store.receiptNotFound'
  | 'store.conflictRetriesExhausted'
  | 'store.ticketExists'
  | 'store.threadClaimed'
  | 'store.contention'
  | 'store.invalidItem'
  | 'store.throttled'
  | 'store.unavailable'
  | 'store.itemTooLarge'
  | 'local.startFailed'
  | 'local.notRunning'
  | 'local.portInUse'
  | 'cli.invalidArgument'
  | 'inbound.inProgress'
  | 'mail.tooLarge'
  | 'mail.unparseable'
  | 'mail.invalidLimits'
  | 'mail.rawNotFound'
  | 'mail.invalidKey'
  | 'mail.invalidHeader'
  | 'mail.invalidAddress'
  | 'mail.throttled'
  | 'mail.rejected'
  | 'mail.sendingPaused'
  | 'mail.outboxInvalid'
  | 'timer.invalidName'
  | 'timer.fileInvalid'
  | 'timer.busy'
  | 'clock.fileInvalid'
  | 'clock.invalidDuration'
  | 'templates.missing'
  | 'templates.invalid'
  | 'templates.renderFailed'
  | 'notification.recipientNotStaff'
  | 'notification.recipientIsCustomer'
  | 'survey.invalidToken'
  | 'survey.expired'
  | 'survey.secretInvalid'
  | 'survey.notRecorded'
  | 'config.missingVariable'
  | 'config.invalidVariable'
  | 'config.secretUnreadable'
  | 'attachment.notFound'
  | 'attachment.invalidKey'
  | 'attachment.contentMismatch'
  | 'cli.ambiguousAttachment'
  | 'web.idempotencyConflict'
  | 'web.invalidSubmission';

export class AtendeError extends Error {
  readonly code: ErrorCode;
  /** Structured facts about the failure, safe to show to the operator. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AtendeError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export const isAtendeError = (error: unknown, code?: ErrorCode): error is AtendeError =>
  error instanceof AtendeError && (code === undefined || error.code === code);
