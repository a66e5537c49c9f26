import { AtendeError } from '../../domain/atende-error.ts';

/**
 * DynamoDB's answers that say nothing was wrong with the request itself: it was throttled, the
 * service failed (5xx), or no answer came in time. The SDK retries them a few times itself; one
 * that still fails reaches the store, which names it so callers can tell "try again" from a
 * refusal. After a 5xx or a timeout a write may or may not have been applied.
 */
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
/** What the SDK's HTTP handler and Node's sockets throw when an answer does not come. */
const NO_ANSWER_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NO_ANSWER_CODES = new Set(['ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED']);

const isServerFault = (error: Error): boolean => {
  const { $fault, $metadata } = error as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = $metadata?.httpStatusCode;
  return $fault === 'server' || (typeof status === 'number' && status >= 500);
};

/** A throttled, failed or unanswered DynamoDB call as `store.throttled` or `store.unavailable` (cause kept); any other error as it came. */
export const translateTransientFailure = (error: unknown, details: Record<string, unknown>): unknown => {
  if (!(error instanceof Error)) return error;
  if (THROTTLING.has(error.name)) {
    return new AtendeError('store.throttled', `DynamoDB throttled the request: ${error.message}`, {
      cause: error,
      details: { ...details, retryable: true },
    });
  }
  const code = (error as { code?: unknown }).code;
  if (
    isServerFault(error) ||
    NO_ANSWER_NAMES.has(error.name) ||
    (typeof code === 'string' && NO_ANSWER_CODES.has(code))
  ) {
    return new AtendeError(
      'store.unavailable',
      `DynamoDB did not complete the request: ${error.name}: ${error.message}`,
      {
        cause: error,
        details: { ...details, retryable: true },
      },
    );
  }
  return error;
};
