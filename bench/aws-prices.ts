/**
 * The AWS prices the cost estimate uses: us-east-1, on-demand, no free tier applied, written
 * 2026-12-04 from AWS's public pricing pages (each constant names its page). Prices change:
 * check the page before quoting a figure.
 */
export const PRICES_AS_OF = '2026-12-04';
export const PRICE_REGION = 'us-east-1';

/** A price as the page publishes it: `usd` per `quantity` of `unit`, with where it was read. */
export interface Price {
  readonly usd: number;
  readonly quantity: number;
  readonly unit: string;
  readonly source: string;
}

/** What one unit costs. */
export const unitPrice = (price: Price): number => price.usd / price.quantity;

/** `$0.20 per 1,000,000 requests`. */
export const formatPrice = (price: Price): string =>
  `$${price.usd} per ${price.quantity === 1 ? '' : `${price.quantity.toLocaleString('en-US')} `}${price.unit}`;

const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const SCHEDULER = 'https://aws.amazon.com/eventbridge/pricing/';
const SQS = 'https://aws.amazon.com/sqs/pricing/';
const SES = 'https://aws.amazon.com/ses/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';

/** Lambda on arm64 (Graviton), first tier: per GB-second of duration, and per request. */
export const LAMBDA_ARM64_GB_SECOND: Price = {
  usd: 0.0000133334,
  quantity: 1,
  unit: 'GB-second (arm64)',
  source: LAMBDA,
};
export const LAMBDA_REQUEST: Price = { usd: 0.2, quantity: 1_000_000, unit: 'requests', source: LAMBDA };

/** DynamoDB on-demand (standard table class), since the November 2024 price cut. */
export const DYNAMODB_WRITE_REQUEST_UNIT: Price = {
  usd: 0.625,
  quantity: 1_000_000,
  unit: 'write request units',
  source: DYNAMODB,
};
export const DYNAMODB_READ_REQUEST_UNIT: Price = {
  usd: 0.125,
  quantity: 1_000_000,
  unit: 'read request units',
  source: DYNAMODB,
};

/** S3 Standard: PUT (and COPY, POST, LIST) and GET requests, and storage for a month. */
export const S3_PUT_REQUEST: Price = { usd: 0.005, quantity: 1_000, unit: 'PUT requests', source: S3 };
export const S3_GET_REQUEST: Price = { usd: 0.0004, quantity: 1_000, unit: 'GET requests', source: S3 };
export const S3_STORAGE_GB_MONTH: Price = { usd: 0.023, quantity: 1, unit: 'GB-month (first 50 TB)', source: S3 };

/** EventBridge Scheduler bills invocations; CreateSchedule, UpdateSchedule and DeleteSchedule calls are not billed. */
export const SCHEDULER_INVOCATION: Price = {
  usd: 1,
  quantity: 1_000_000,
  unit: 'scheduled invocations',
  source: SCHEDULER,
};
export const SCHEDULER_API_CALL: Price = {
  usd: 0,
  quantity: 1,
  unit: 'Create/Update/DeleteSchedule call',
  source: SCHEDULER,
};

/** CloudWatch Logs, standard log class: what the functions write (JSON log lines, EMF metrics) is billed as ingested. */
export const CLOUDWATCH_LOGS_INGESTED_GB: Price = {
  usd: 0.5,
  quantity: 1,
  unit: 'GB of logs ingested',
  source: CLOUDWATCH,
};

/** SQS standard queue, per request (the dead-letter queues). */
export const SQS_REQUEST: Price = { usd: 0.4, quantity: 1_000_000, unit: 'requests', source: SQS };

/** SES: receiving is billed per mail and per 256 KB chunk of it; sending per mail and per GB of attachments. */
export const SES_RECEIVED_MAIL: Price = { usd: 0.1, quantity: 1_000, unit: 'mails received', source: SES };
export const SES_RECEIVED_CHUNK: Price = { usd: 0.09, quantity: 1_000, unit: '256 KB chunks received', source: SES };
export const SES_SENT_MAIL: Price = { usd: 0.1, quantity: 1_000, unit: 'mails sent', source: SES };
export const SES_SENT_ATTACHMENT_GB: Price = { usd: 0.12, quantity: 1, unit: 'GB of attachments sent', source: SES };

/** The size of one billed chunk of received mail. */
export const SES_CHUNK_BYTES = 256 * 1024;

/** The Lambdas' memory, as the stack sets it (one source: infra/atende-stack.ts). */
export { FUNCTION_MEMORY_MB as LAMBDA_MEMORY_MB } from '../infra/atende-stack.ts';
