/**
 * What the Lambdas read from their environment (as the CDK stack sets it), for the handler specs:
 * the table on DynamoDB Local, and made-up names for the bucket, the schedule group, the ARNs and
 * the survey's URL and secret (S3, SES and Scheduler are mocked in those specs).
 */
export const lambdaEnvironment = (tableName: string, dynamodbEndpoint: string): Record<string, string> => ({
  ATENDE_TABLE_NAME: tableName,
  ATENDE_RAW_MAIL_BUCKET: 'atende-raw-mail-test',
  ATENDE_RAW_MAIL_PREFIX: 'inbound/',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
  ATENDE_SCHEDULE_GROUP: 'atende-test',
  ATENDE_TIMER_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:atende-timer',
  ATENDE_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/atende-scheduler',
  ATENDE_TIMER_DEAD_LETTER_ARN: 'arn:aws:sqs:eu-west-1:123456789012:atende-timer-dead-letters',
  ATENDE_PUBLIC_URL: 'https://support.example.test',
  ATENDE_SURVEY_SECRET: 'the survey secret of the Lambda specs, 32+ bytes',
});
