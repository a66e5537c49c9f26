import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { CfnReceiptRule, CfnReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { INBOUND_MAIL_PREFIX } from './mail-bucket.ts';

/** The names the receipt rule set and rule get, so the bucket policy can name the rule before it exists. */
export const receiptRuleNames = (stackName: string) => ({
  ruleSetName: `${stackName}-inbound`,
  ruleName: `${stackName}-support-addresses`,
});

export const receiptRuleArn = (scope: Construct): string => {
  const stack = Stack.of(scope);
  const { ruleSetName, ruleName } = receiptRuleNames(stack.stackName);
  return stack.formatArn({
    service: 'ses',
    resource: 'receipt-rule-set',
    resourceName: `${ruleSetName}:receipt-rule/${ruleName}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
};

/**
 * SES receiving for the policy's support addresses: spam and virus scanning on, TLS required,
 * the raw message into the bucket first (SES's S3 action), then the inbound Lambda invoked
 * asynchronously (Event) with the verdicts. Written with the Cfn resources, not the
 * aws-ses-actions helpers: those add a bucket statement for any rule of the account, where the
 * bucket's own policy (mail-bucket.ts) names this rule.
 */
export class InboundMailRule extends Construct {
  readonly ruleSetName: string;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly recipients: readonly string[];
      readonly bucket: Bucket;
      readonly inbound: IFunction;
      /** Make this rule set the account's active one; SES has one active set per region. */
      readonly activate: boolean;
    },
  ) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = receiptRuleNames(stack.stackName);
    this.ruleSetName = names.ruleSetName;
    const ruleSet = new CfnReceiptRuleSet(this, 'RuleSet', { ruleSetName: names.ruleSetName });
    props.inbound.addPermission('InvokedBySesReceipt', {
      principal: new ServicePrincipal('ses.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: receiptRuleArn(this),
    });
    const rule = new CfnReceiptRule(this, 'Rule', {
      ruleSetName: names.ruleSetName,
      rule: {
        name: names.ruleName,
        enabled: true,
        recipients: [...props.recipients],
        scanEnabled: true,
        tlsPolicy: 'Require',
        actions: [
          { s3Action: { bucketName: props.bucket.bucketName, objectKeyPrefix: INBOUND_MAIL_PREFIX } },
          { lambdaAction: { functionArn: props.inbound.functionArn, invocationType: 'Event' } },
        ],
      },
    });
    rule.node.addDependency(ruleSet);
    // SES checks it may write to the bucket and invoke the function when the rule is created.
    const bucketPolicy = props.bucket.policy;
    if (bucketPolicy) rule.node.addDependency(bucketPolicy);
    const permission = props.inbound.permissionsNode.tryFindChild('InvokedBySesReceipt');
    if (permission) rule.node.addDependency(permission);

    if (props.activate) {
      const activation = new AwsCustomResource(this, 'Activate', {
        onCreate: {
          service: 'SES',
          action: 'setActiveReceiptRuleSet',
          parameters: { RuleSetName: names.ruleSetName },
          physicalResourceId: PhysicalResourceId.of(names.ruleSetName),
        },
        onUpdate: {
          service: 'SES',
          action: 'setActiveReceiptRuleSet',
          parameters: { RuleSetName: names.ruleSetName },
          physicalResourceId: PhysicalResourceId.of(names.ruleSetName),
        },
        // No RuleSetName deactivates: a deleted stack leaves the account receiving nothing rather than a dangling set.
        onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
        policy: AwsCustomResourcePolicy.fromStatements([
          new PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
        ]),
        installLatestAwsSdk: false,
      });
      activation.node.addDependency(rule);
    }
  }
}
