import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WEB_ROUTES } from '../../infra/constructs/web-api.ts';
import { ticketTableCreateInput } from '../../lib/adapters/dynamodb/ticket-table.ts';
import { synthesizedStack } from '../support/atende-stack-fixture.ts';
import { repositoryPath } from '../support/policy-fixtures.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const { template, findings } = synthesizedStack();
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const logicalIdOf = (type: string, prefix: string) => {
  const found = ofType(type).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} named ${prefix}…`);
  return found[0];
};
const functionNamed = (prefix: string) => resources[logicalIdOf('AWS::Lambda::Function', prefix)]!;
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
/** The statements of the inline policy attached to a function's role. */
const statementsOf = (prefix: string): Statement[] => {
  const role = (functionNamed(prefix).Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties['Roles'] as { Ref: string }[]).some((ref) => ref.Ref === role))
    .flatMap(([, policy]) => (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
};
const actionsOf = (prefix: string) => new Set(statementsOf(prefix).flatMap((statement) => asList(statement.Action)));

describe('the AWS stack', () => {
  it('creates the ticket table with the keys and indexes the store uses, on demand, with TTL', () => {
    const local = ticketTableCreateInput('tickets');
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayWith(
        local.AttributeDefinitions!.map((definition) => Match.objectLike(definition)),
      ),
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes!.map((index) =>
        Match.objectLike({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }),
      ),
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
    });
  });

  it('keeps tickets recoverable and protected from deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
        }),
      ],
    });
    expect(ofType('AWS::DynamoDB::GlobalTable')[0]![1]).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('keeps raw mail in an encrypted, private, TLS-only bucket that expires it after the retention', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 365, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'tickets/', ExpirationInDays: 365, Status: 'Enabled' }),
        ]),
      },
    });
    const shorter = synthesizedStack({ mailRetentionDays: '30' }).template;
    shorter.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 30 })]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets SES write raw mail under inbound/ for this account and this receipt rule only', () => {
    const policy = ofType('AWS::S3::BucketPolicy')[0]![1].Properties['PolicyDocument'] as { Statement: Statement[] };
    const ses = policy.Statement.filter((statement) => JSON.stringify(statement).includes('ses.amazonaws.com'));
    expect(ses).toHaveLength(1);
    expect(ses[0]).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject' });
    expect(JSON.stringify(ses[0]!.Resource)).toContain('/inbound/*');
    expect(ses[0]!.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: {
        'aws:SourceArn': expect.anything(),
      },
    });
    expect(JSON.stringify(ses[0]!.Condition)).toContain(
      ':receipt-rule-set/Test-inbound:receipt-rule/Test-support-addresses',
    );
  });

  it("receives the policy's support addresses: raw mail to S3, then the inbound function invoked as an event", () => {
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      RuleSetName: 'Test-inbound',
      Rule: {
        Name: 'Test-support-addresses',
        Enabled: true,
        Recipients: ['servicedesk@example.com', 'installteam@example.com', 'partnersupport@example.com'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [
          { S3Action: { BucketName: Match.anyValue(), ObjectKeyPrefix: 'inbound/' } },
          { LambdaAction: { FunctionArn: Match.anyValue(), InvocationType: 'Event' } },
        ],
      },
    });
    const zoom = synthesizedStack({ policy: repositoryPath('policy/examples/zoom.yaml') });
    const rule = zoom.template.findResources('AWS::SES::ReceiptRule');
    const recipients = (Object.values(rule)[0] as Resource).Properties['Rule'] as { Recipients: string[] };
    expect(recipients.Recipients).toEqual(
      zoom.settings.policyDocument.queues.map((queue) => queue.address.toLowerCase()),
    );
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'ses.amazonaws.com',
      SourceAccount: '123456789012',
      Action: 'lambda:InvokeFunction',
    });
  });

  it('activates the receipt rule set only when asked (-c activateRuleSet=true)', () => {
    expect(template.findResources('Custom::AWS')).toEqual({});
    const activated = synthesizedStack({ activateRuleSet: 'true' });
    const custom = Object.values(activated.template.findResources('Custom::AWS')) as Resource[];
    expect(custom).toHaveLength(1);
    expect(JSON.stringify(custom[0]!.Properties['Create'])).toContain('setActiveReceiptRuleSet');
    expect(JSON.stringify(custom[0]!.Properties['Create'])).toContain('Test-inbound');
    expect(activated.findings()).toEqual([]);
  });

  it('runs three functions on nodejs22.x and arm64 with JSON logs and their settings as variables, secrets by ARN only', () => {
    for (const name of ['InboundEmail', 'Timer', 'WebForm']) {
      const fn = functionNamed(name).Properties;
      expect(fn).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON' },
      });
      const variables = (fn['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining([
          'ATENDE_TABLE_NAME',
          'ATENDE_RAW_MAIL_BUCKET',
          'ATENDE_SCHEDULE_GROUP',
          'ATENDE_TIMER_FUNCTION_ARN',
          'ATENDE_SCHEDULER_ROLE_ARN',
          'ATENDE_TIMER_DEAD_LETTER_ARN',
          'ATENDE_PUBLIC_URL',
          'ATENDE_SURVEY_SECRET_ARN',
        ]),
      );
      expect(variables).not.toHaveProperty('ATENDE_SURVEY_SECRET');
      expect(variables).not.toHaveProperty('ATENDE_WEBFORM_SECRET');
    }
    expect(functionNamed('Timer').Properties['FunctionName']).toBe('Test-timer');
    const timerArn = JSON.stringify(
      (functionNamed('InboundEmail').Properties['Environment'] as { Variables: Record<string, unknown> }).Variables[
        'ATENDE_TIMER_FUNCTION_ARN'
      ],
    );
    expect(timerArn).toContain(':function:Test-timer');
  });

  it('sends failed asynchronous events (mail, timers) to encrypted queues after Lambda retries them twice', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Resource[];
    expect(configs).toHaveLength(2);
    for (const config of configs) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
    }
    for (const [, queue] of ofType('AWS::SQS::Queue')) expect(queue.Properties['SqsManagedSseEnabled']).toBe(true);
  });

  it('keeps timers in their own schedule group, fired through a role that may invoke the timer function only', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Test-tickets' });
    const role = ofType('AWS::IAM::Role').find(([, resource]) =>
      JSON.stringify(resource).includes('scheduler.amazonaws.com'),
    )!;
    expect(role[1].Properties['AssumeRolePolicyDocument']).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ],
    });
    const policy = ofType('AWS::IAM::Policy').find(([, resource]) =>
      (resource.Properties['Roles'] as { Ref: string }[]).some((ref) => ref.Ref === role[0]),
    )!;
    const statements = (policy[1].Properties['PolicyDocument'] as { Statement: Statement[] }).Statement;
    expect(statements.map((statement) => statement.Action)).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(JSON.stringify(statements[0]!.Resource)).toContain(':function:Test-timer');
  });

  it('routes the web API to the web function, throttled, with access logs that leave out paths', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => (route as Resource).Properties['RouteKey'],
    );
    expect(routes.sort()).toEqual(
      WEB_ROUTES.flatMap((route) => route.methods.map((method) => `${method} ${route.path}`)).sort(),
    );
    expect(routes).toContain('POST /tickets');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.not(Match.stringLikeRegexp('path')) },
    });
  });

  it('gives each function only the actions it uses, never a wildcard action', () => {
    const common = [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'ses:SendEmail',
      'ses:SendRawEmail',
      'scheduler:CreateSchedule',
      'scheduler:UpdateSchedule',
      'scheduler:DeleteSchedule',
      'iam:PassRole',
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret',
      's3:GetObject',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ];
    // Lambda's on-failure destination: the asynchronous functions send to their own failure queue.
    const failures = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
    expect([...actionsOf('InboundEmail')].sort()).toEqual([...common, ...failures, 's3:PutObject'].sort());
    expect([...actionsOf('Timer')].sort()).toEqual([...common, ...failures].sort());
    expect([...actionsOf('WebForm')].sort()).toEqual([...common, 's3:PutObject'].sort());
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const statement of (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement)
        for (const action of asList(statement.Action)) expect(action).not.toContain('*');
    }
  });

  it('lets each function reach only its own keys: inbound reads raw mail, the web form writes web posts', () => {
    const resourcesFor = (prefix: string, action: string) =>
      statementsOf(prefix)
        .filter((statement) => asList(statement.Action).includes(action))
        .map((statement) => JSON.stringify(statement.Resource));
    expect(resourcesFor('InboundEmail', 's3:GetObject').join()).toContain('/inbound/*');
    expect(resourcesFor('Timer', 's3:GetObject').join()).not.toContain('/inbound/*');
    expect(resourcesFor('WebForm', 's3:PutObject').join()).toContain('/inbound/web/*');
    expect(resourcesFor('WebForm', 's3:PutObject').join()).not.toContain('/inbound/*');
    expect(resourcesFor('InboundEmail', 's3:PutObject').join()).not.toContain('/inbound/');
    expect(resourcesFor('InboundEmail', 'ses:SendEmail').join()).toContain(':identity/example.com');
    const passRole = statementsOf('Timer').find((statement) => asList(statement.Action).includes('iam:PassRole'))!;
    expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });

  it('generates the link-signing key in Secrets Manager, and the web-form key only for signed posts', () => {
    expect(ofType('AWS::SecretsManager::Secret')).toHaveLength(1);
    expect(ofType('AWS::SecretsManager::Secret')[0]![1].Properties['GenerateSecretString']).toMatchObject({
      PasswordLength: 64,
    });
    const signed = synthesizedStack({ signedWebForm: 'true' });
    expect(Object.keys(signed.template.findResources('AWS::SecretsManager::Secret'))).toHaveLength(2);
    const web = Object.entries(signed.template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('WebForm'),
    )!;
    expect(Object.keys((web[1] as Resource).Properties['Environment'] as object)).toBeDefined();
    expect(JSON.stringify(web[1])).toContain('ATENDE_WEBFORM_SECRET_ARN');
    expect(signed.findings()).toEqual([]);
  });

  it('alarms on dead letters, errors, throttles, refused mail and waiting inbound mail, mailed when asked', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const metrics = alarms.map((alarm) => alarm.Properties['MetricName']);
    expect(metrics.filter((name) => name === 'ApproximateNumberOfMessagesVisible')).toHaveLength(3);
    expect(metrics.filter((name) => name === 'Errors')).toHaveLength(3);
    expect(metrics.filter((name) => name === 'Throttles')).toHaveLength(3);
    expect(metrics).toEqual(expect.arrayContaining(['AsyncEventAge', 'MailFailed']));
    // The functions' Powertools metrics carry exactly this dimension; an alarm without it would watch nothing.
    expect(alarms.find((alarm) => alarm.Properties['MetricName'] === 'MailFailed')!.Properties).toMatchObject({
      Namespace: 'Atende',
      Dimensions: [{ Name: 'service', Value: 'atende' }],
      Threshold: 1,
    });
    expect(template.findResources('AWS::SNS::Topic')).toEqual({});
    const mailed = synthesizedStack({ alarmEmail: 'oncall@example.com' }).template;
    mailed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    for (const alarm of Object.values(mailed.findResources('AWS::CloudWatch::Alarm')) as Resource[])
      expect(alarm.Properties['AlarmActions']).toHaveLength(1);
  });

  it('refuses a context value it cannot use, naming it', () => {
    expect(() => synthesizedStack({ mailRetentionDays: 'a year' })).toThrow(/-c mailRetentionDays/);
    expect(() => synthesizedStack({ alarmEmail: 'oncall' })).toThrow(/-c alarmEmail/);
  });

  it('passes cdk-nag (AwsSolutions) with no finding left unacknowledged', () => {
    expect(findings()).toEqual([]);
  });
});
