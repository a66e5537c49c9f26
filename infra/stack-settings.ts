import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { DEFAULT_POLICY_PATH } from '../lib/adapters/policy-file.ts';
import { parsePolicy } from '../lib/domain/policy/parse-policy.ts';
import type { Policy } from '../lib/domain/policy/policy-schema.ts';

/**
 * What a deployment is told with `npx cdk deploy -c key=value` (or cdk.json's context), each
 * with a default so `npx cdk synth` works on a clean clone. Context values arrive as strings
 * from the command line and as JSON values from cdk.json: both are read.
 */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const Count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1));
const List = z
  .union([z.array(z.string()), z.string().transform((value) => value.split(','))])
  .transform((values) => values.map((value) => value.trim()).filter((value) => value !== ''));

export const StackContext = z.object({
  /** The policy file deployed with the functions (its queue addresses are the receipt rule's recipients). */
  policy: z.string().min(1).default(DEFAULT_POLICY_PATH),
  /** The verified SES domain mail is sent from; by default the domain of the policy's first queue address. */
  domain: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i)
    .optional(),
  /** Where alarms are mailed (an SNS topic with this subscription); none when unset. */
  alarmEmail: z.email().optional(),
  /** Make this stack's receipt rule set the account's active one (a custom resource); off: activate it by hand. */
  activateRuleSet: Flag.default(false),
  /** Days raw mail and stored attachments are kept in the bucket before they expire. */
  mailRetentionDays: Count.default(365),
  /** Sites whose pages may post to POST /tickets (ATENDE_CORS_ORIGINS). */
  corsOrigins: List.default([]),
  /** Require server-to-server posts signed with a generated secret (ATENDE_WEBFORM_SECRET from Secrets Manager). */
  signedWebForm: Flag.default(false),
  /** Steady requests per second and burst the HTTP API takes before answering 429. */
  apiRateLimit: Count.default(50),
  apiBurstLimit: Count.default(100),
});

export interface StackSettings extends Omit<z.infer<typeof StackContext>, 'domain'> {
  readonly domain: string;
  readonly policyPath: string;
  readonly policyDocument: Policy;
  /** The support addresses mail is received for: every queue's address. */
  readonly recipients: readonly string[];
}

/** Reads the context, loading and checking the policy at synth time: a bad policy fails the deploy, not the first mail. */
export function stackSettings(context: (key: string) => unknown): StackSettings {
  const raw = Object.fromEntries(Object.keys(StackContext.shape).map((key) => [key, context(key)]));
  const parsed = StackContext.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`atende: the deployment's context is not valid:\n  ${problems.join('\n  ')}`);
  }
  const policyPath = resolve(parsed.data.policy);
  const policyDocument = parsePolicy(readFileSync(policyPath, 'utf8'), policyPath);
  const recipients = [...new Set(policyDocument.queues.map((queue) => queue.address.toLowerCase()))];
  const domain = parsed.data.domain ?? recipients[0]!.split('@')[1]!;
  return { ...parsed.data, domain, policyPath, policyDocument, recipients };
}
