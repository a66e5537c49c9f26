import { resolve } from 'node:path';
import * as z from 'zod';
import { isMailableAddress } from '../../domain/mail/mailable-address.ts';
import { SURVEY_SECRET_MIN_BYTES } from '../../domain/ticket/survey-token.ts';
import { readEnvironment } from '../config/environment.ts';
import { WebFormEnvironment } from '../config/web-form-environment.ts';
import { DEFAULT_POLICY_PATH } from '../policy-file.ts';

const Port = z.coerce.number().int().min(1).max(65_535);

/** SMTP AUTH users by lower-cased address; the value is the secret exactly as written. */
export type SmtpUsers = ReadonlyMap<string, string>;

/**
 * `ATENDE_SMTP_USERS=alice@example.com:secret,bob@example.com:other`. Entries are split at
 * commas, and each entry at its first colon: a mailable address holds no colon (RFC 5322
 * dot-atom, see isMailableAddress), so the secret is everything after it and may contain ":",
 * but not ",". White space around the address is ignored; the secret is taken as is. Problems
 * name the entry and the address, never a secret, because the message reaches logs.
 */
const SmtpUsersVariable = z
  .string()
  .optional()
  .transform((value, context): SmtpUsers => {
    const users = new Map<string, string>();
    if (value === undefined || value === '') return users;
    const fail = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    for (const [index, entry] of value.split(',').entries()) {
      const colon = entry.indexOf(':');
      if (colon < 0) return fail(`entry ${index + 1} is not ADDRESS:SECRET (expected alice@example.com:secret,…)`);
      const address = entry.slice(0, colon).trim().toLowerCase();
      const secret = entry.slice(colon + 1);
      // Not echoed: written the wrong way round (secret:address), it would be the secret.
      if (!isMailableAddress(address))
        return fail(`entry ${index + 1}: what comes before the first ":" is not an e-mail address`);
      if (secret === '') return fail(`entry ${index + 1}: the secret of ${address} is empty`);
      if (users.has(address)) return fail(`entry ${index + 1}: ${address} is listed twice`);
      users.set(address, secret);
    }
    return users;
  });

/** A survey secret given in the environment; empty is unset. Never echoed: it is a secret. */
const SurveySecretVariable = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value))
  .refine((value) => value === undefined || Buffer.byteLength(value, 'utf8') >= SURVEY_SECRET_MIN_BYTES, {
    error: `must hold at least ${SURVEY_SECRET_MIN_BYTES} bytes (e.g. \`openssl rand -hex 32\`)`,
  });

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
  /** SMTP AUTH users of the listener: mail submitted as one of them counts as authenticated for that address. */
  ATENDE_SMTP_USERS: SmtpUsersVariable,
  /** The secret survey links are signed with; default: one generated into `<data dir>/survey-secret`. */
  ATENDE_SURVEY_SECRET: SurveySecretVariable,
  ...WebFormEnvironment,
};

export interface LocalStackConfig {
  readonly httpPort: number;
  readonly smtpPort: number;
  readonly sesPort: number;
  readonly dynamodbPort: number;
  /** Absolute path of the data directory: DynamoDB files, raw mail, the outbox. */
  readonly dataDirectory: string;
  readonly policyPath: string;
  /** Who may submit mail with SMTP AUTH (PLAIN or LOGIN) to the listener; empty: nobody. */
  readonly smtpUsers: SmtpUsers;
  /** ATENDE_SURVEY_SECRET, when set: it replaces the secret file of the data directory. */
  readonly surveySecret: string | undefined;
  /** ATENDE_CORS_ORIGINS: sites that may post to POST /tickets from a browser. */
  readonly corsOrigins: readonly string[];
  /** ATENDE_WEBFORM_SECRET, when set: POST /tickets takes signed posts only. */
  readonly webFormSecret: string | null;
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
    smtpUsers: variables.ATENDE_SMTP_USERS,
    surveySecret: variables.ATENDE_SURVEY_SECRET,
    corsOrigins: variables.ATENDE_CORS_ORIGINS,
    webFormSecret: variables.ATENDE_WEBFORM_SECRET,
    tableName: LOCAL_TABLE_NAME,
    dynamodbEndpoint: `http://127.0.0.1:${variables.ATENDE_DDB_PORT}`,
    sesEndpoint: `http://127.0.0.1:${variables.ATENDE_SES_PORT}`,
  };
}
