import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ActivityReporter } from '../../application/ports/support-activity.ts';
import { SUPPORT_METRICS } from '../../application/ports/support-metrics.ts';
import { LambdaContext } from '../aws-events/lambda-context.ts';
import { PowertoolsActivityReporter } from './powertools-activity-reporter.ts';

/** Values a log line may carry beside its message. */
export type LogFields = Record<string, unknown>;

/**
 * A Lambda's logs and metrics: Powertools Logger (one JSON line per call, with the invocation's
 * request id and, once known, the ticket number) and Powertools Metrics (embedded metric format
 * in the same log stream, which CloudWatch turns into metrics without an API call or a
 * PutMetricData permission). Built once per cold start; `invocation` brackets each invocation.
 */
export class LambdaTelemetry {
  readonly logger: Logger;
  /** What the use cases report to: counted as SUPPORT_METRICS and logged. */
  readonly activity: ActivityReporter;
  private readonly metrics: Metrics;

  constructor(options: { readonly logger?: Logger; readonly metrics?: Metrics } = {}) {
    this.logger = options.logger ?? new Logger({ serviceName: SUPPORT_METRICS.dimensions.service });
    this.metrics =
      options.metrics ??
      new Metrics({ namespace: SUPPORT_METRICS.namespace, serviceName: SUPPORT_METRICS.dimensions.service });
    this.activity = new PowertoolsActivityReporter(this.logger, this.metrics);
  }

  /**
   * Runs one invocation: its lines carry the context's request id, the keys of an earlier
   * invocation (its ticket number) are dropped, and the metrics it stored are published when it
   * ends, failed or not. With none stored nothing is written (Powertools would warn instead).
   */
  async invocation<T>(context: unknown, run: () => Promise<T>): Promise<T> {
    this.logger.resetKeys();
    const parsed = LambdaContext.safeParse(context);
    if (parsed.success) this.logger.addContext(parsed.data);
    try {
      return await run();
    } finally {
      if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
    }
  }

  /** The item now being worked on (an SES record, a firing): its keys replace the previous item's. */
  workingOn(keys: LogFields): void {
    this.logger.resetKeys();
    this.logger.appendKeys(keys);
  }
}

/** The process's one telemetry, as Powertools advises: created outside the handler, reused while warm. */
export const lambdaTelemetry = new LambdaTelemetry();
