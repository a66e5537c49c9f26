import * as z from 'zod';

/**
 * The part of the Lambda invocation context the logs carry (Powertools Logger's `function_*`
 * keys, the request id above all). Parsed rather than trusted: a handler invoked without one (a
 * test, a local driver) logs without these keys instead of failing.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */
export const LambdaContext = z.object({
  awsRequestId: z.string().min(1),
  functionName: z.string(),
  functionVersion: z.string(),
  invokedFunctionArn: z.string(),
  memoryLimitInMB: z.string(),
});
export type LambdaContext = z.infer<typeof LambdaContext>;
