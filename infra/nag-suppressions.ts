import { type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The AwsSolutions findings atende accepts, each with why. Everything else cdk-nag reports
 * fails the tests (test/infra/atende-stack.test.ts).
 */
export function acceptedFindings(stack: Stack): void {
  for (const finding of STACK_WIDE) Validations.of(stack).acknowledge(finding);
  // The functions' resource wildcards, each acknowledged by its finding when it is one of the
  // prefixes they use; any other wildcard (or a wildcard action) stays a finding.
  const checks = new AwsSolutionsChecks(stack.node.root).validateScope(stack);
  for (const violation of checks.violations) {
    const wildcard = /^AwsSolutions-IAM5\[Resource::(.*)\]$/.exec(violation.ruleName)?.[1];
    if (wildcard === undefined || !ACCEPTED_WILDCARDS.some((pattern) => pattern.test(wildcard))) continue;
    for (const resource of violation.violatingResources) {
      const path = (resource.constructPath ?? '').split('/').slice(1);
      if (!FUNCTION_ROLES.includes(path[0] ?? '') || path[1] !== 'Role') continue;
      const role = stack.node.tryFindChild(path[0]!)!.node.tryFindChild('Role')!;
      Validations.of(role).acknowledge({
        id: violation.ruleName,
        reason:
          "Each function reaches only the keys it names at run time under one prefix: the ticket table's indexes, the ticket timer group's schedules (one per ticket and kind), and the mail bucket's inbound/ (inbound/web/ for the web form) and tickets/ objects (per message and ticket)",
      });
    }
  }
  const activation = stack.node.tryFindChild('InboundMail')?.node.tryFindChild('Activate');
  if (activation)
    Validations.of(activation).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:SetActiveReceiptRuleSet supports no resource-level permission; it is the only action of the policy',
    });
  // The function CDK's AwsCustomResource runs the activation with (a singleton named by its UUID).
  const provider = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  if (provider)
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's AwsCustomResource provider logs with the basic execution role; it runs once per deploy and holds no data",
    });
  for (const queue of DEAD_LETTER_QUEUES) {
    const found = queue.split('/').reduce<IConstruct | undefined>((node, id) => node?.node.tryFindChild(id), stack);
    if (found)
      Validations.of(found).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          "This queue is itself a dead-letter queue (a Lambda on-failure destination or the Scheduler target's DLQ), which cdk-nag recognises only for SQS redrive",
      });
  }
}

const FUNCTION_ROLES = ['InboundEmail', 'Timer', 'WebForm'];
const ACCEPTED_WILDCARDS: readonly RegExp[] = [
  /^<TicketsTable[0-9A-F]+\.Arn>\/index\/\*$/,
  /:scheduler:.+:schedule\/[A-Za-z0-9-]+-tickets\/\*$/,
  /^<MailBucket[0-9A-F]+\.Arn>\/(inbound|inbound\/web|tickets)\/\*$/,
];
const DEAD_LETTER_QUEUES = ['InboundEmail/Failures', 'Timer/Failures', 'Timers/DeadLetters'];

const STACK_WIDE: readonly { readonly id: string; readonly reason: string }[] = [
  {
    id: 'AwsSolutions-S1',
    reason:
      "The mail bucket takes writes from SES and the functions only; CloudTrail data events are the audit trail where a team wants one, and an access-log bucket would hold customers' addresses in object keys for no reader",
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      "Rotating the link-signing key would invalidate every survey and status link already mailed to customers (valid for the policy's statusPage.linkValidFor, 90 days by default); rotate by hand with `aws secretsmanager put-secret-value` when a key is exposed",
  },
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'The customer pages and POST /tickets are public by design: status and survey pages are authorised by their HMAC-signed tokens, posts by CORS, rate limits and the optional HMAC signature (ATENDE_WEBFORM_SECRET)',
  },
  {
    id: 'AwsSolutions-L1',
    reason:
      'nodejs22.x is the runtime atende is built and tested for (issue 11); move with the tests, not ahead of them',
  },
];

/**
 * cdk-nag's AwsSolutions findings left unacknowledged, one line each: checked by the tests and
 * by every synth and deploy (infra/bin/atende.ts), which refuse to go on while there is one.
 */
export function unacknowledgedFindings(stack: Stack): string[] {
  return new AwsSolutionsChecks(stack.node.root)
    .validateScope(stack)
    .violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) =>
          `${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}: ${violation.description.split('\n')[0]}`,
      ),
    );
}
