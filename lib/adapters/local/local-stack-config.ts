import { resolve } from 'node:path';
import { z } from 'zod';
import { readEnvironment } from '../config/environment.ts';
import { DEFAULT_POLICY_PATH } from '../policy-file.ts';

const Port = z.coerce.number().int().min(1).max(65_535);

/**
 * The local stack's settings, from the environment: the same variables for `npm start` and for
 * every `atende` command that acts on the running stack (tickets, outbox, ingest).
 */
export const LocalStackEnvironment = {
  /** HTTP: GET /health (and later the web form). */
  ATENDE_HTTP_PORT: Port.default(8025),
  /** The SMTP listener customers' mail is sent to. */
  ATENDE_SMTP_PORT: Port.default(2525),
  /** The SES emulator outgoing mail goes through (its page lists sent mail). */
  ATENDE_SES_PORT: Port.default(8005),
  /** DynamoDB Local. */
  ATENDE_DDB_PORT: Port.default(8006),
  ATENDE_DATA_DIR: z.string().min(1).default('.atende'),
  ATENDE_POLICY: z.string().min(1).default(DEFAULT_POLICY_PATH),
};

export interface LocalStackConfig {
  readonly httpPort: number;
  readonly smtpPort: number;
  readonly sesPort: number;
  readonly dynamodbPort: number;
  /** Absolute path of the data directory: DynamoDB files, raw mail, the outbox. */
  readonly dataDirectory: string;
  readonly policyPath: string;
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
}

/** The one table the local stack keeps its tickets in. */
export const LOCAL_TABLE_NAME = 'atende-local';

export function localStackConfig(environment: NodeJS.ProcessEnv = process.env): LocalStackConfig {
  const variables = readEnvironment(LocalStackEnvironment, environment);
  return {
    httpPort: variables.ATENDE_HTTP_PORT,
    smtpPort: variables.ATENDE_SMTP_PORT,
    sesPort: variables.ATENDE_SES_PORT,
    dynamodbPort: variables.ATENDE_DDB_PORT,
    dataDirectory: resolve(variables.ATENDE_DATA_DIR),
    policyPath: resolve(variables.ATENDE_POLICY),
    tableName: LOCAL_TABLE_NAME,
    dynamodbEndpoint: `http://127.0.0.1:${variables.ATENDE_DDB_PORT}`,
    sesEndpoint: `http://127.0.0.1:${variables.ATENDE_SES_PORT}`,
  };
}
