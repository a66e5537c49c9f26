import { type MockInstance, vi } from 'vitest';

/** One JSON line a Lambda wrote: a log line, or an EMF document (it carries `_aws`). */
export type OutputLine = Record<string, unknown>;

/**
 * What a Lambda writes for CloudWatch, captured: Powertools writes log lines and EMF documents
 * to stdout (warnings and errors to stderr) through its own Console, not the global console.
 * `start` in a beforeEach, `stop` in an afterEach; lines that are not JSON pass through.
 */
export function lambdaOutput() {
  let spies: MockInstance<typeof process.stdout.write>[] = [];
  const written: OutputLine[] = [];
  const capture = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream);
    return vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      const text = String(chunk);
      if (!text.startsWith('{')) return write(chunk, ...rest);
      for (const line of text.split('\n').filter(Boolean)) written.push(JSON.parse(line) as OutputLine);
      return true;
    }) as typeof stream.write);
  };
  const emf = () => written.filter((line) => '_aws' in line);
  return {
    start(): void {
      written.length = 0;
      spies = [capture(process.stdout), capture(process.stderr)];
    },
    stop(): void {
      for (const spy of spies) spy.mockRestore();
      spies = [];
    },
    clear(): void {
      written.length = 0;
    },
    /** Everything written, in order. */
    lines: (): OutputLine[] => [...written],
    logLines: (): OutputLine[] => written.filter((line) => !('_aws' in line)),
    emf,
    /** The sum of a metric over every EMF document written (a document holds a value or a list). */
    metric: (name: string): number =>
      emf()
        .flatMap((document) => [document[name] ?? []].flat())
        .reduce((sum: number, value) => sum + Number(value), 0),
  };
}

/** A Lambda invocation context as the nodejs22.x runtime passes it (the fields the logs read). */
export const lambdaContext = (awsRequestId: string, functionName = 'atende-inbound-email') => ({
  awsRequestId,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '512',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2026/11/23/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
});
