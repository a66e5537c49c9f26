import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as z from 'zod';

/**
 * A bundled Lambda run as the nodejs22.x runtime runs it: a fresh `node` per instance (its cold
 * start), which imports index.mjs once and then takes one event at a time. The events come
 * over the IPC channel; the handler's own time is measured inside the process, around the
 * call only: wall time, CPU time (process.cpuUsage) and memory. Lambda's "Max Memory Used" is
 * the instance's peak RSS, read here from /proc/self/status (VmHWM).
 */

/** What the process reports once its bundle is imported (times from the process's own start). */
const Ready = z.object({
  type: z.literal('ready'),
  /** From process start to the first line of the harness: Node's own bootstrap. */
  bootMs: z.number(),
  importMs: z.number(),
  importCpuMs: z.number(),
  /** CPU the process had used when the import finished: bootstrap + import. */
  cpuAtReadyMs: z.number(),
  rssAfterImportMb: z.number(),
});
export type LambdaReady = z.infer<typeof Ready> & {
  /** From `spawn` in this process to the ready message: what a caller of the cold instance waits before its handler runs. */
  readonly spawnToReadyMs: number;
};

const Invoked = z.object({
  type: z.literal('invoked'),
  id: z.number(),
  wallMs: z.number(),
  cpuMs: z.number(),
  /** performance.now() in the process when the handler returned: from process start. */
  doneAtMs: z.number(),
  /** The process's peak RSS so far (VmHWM), and the V8 heap in use: sampled during the call when `sampleHeap`, else after it. */
  peakRssMb: z.number(),
  heapUsedPeakMb: z.number(),
  result: z.unknown().optional(),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
});
export type LambdaInvocation = z.infer<typeof Invoked>;

const HARNESS = `
  const bootMs = performance.now();
  const { readFileSync } = await import('node:fs');
  const { getHeapStatistics } = await import('node:v8');
  const mb = (bytes) => bytes / 1024 / 1024;
  const peakRssMb = () => Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
  const cpuMs = (usage) => (usage.user + usage.system) / 1000;
  const [file, memoryMb] = process.argv.slice(1);
  const importCpu = process.cpuUsage();
  const started = performance.now();
  const bundle = await import(file);
  const importMs = performance.now() - started;
  process.send({
    type: 'ready', bootMs, importMs, importCpuMs: cpuMs(process.cpuUsage(importCpu)),
    cpuAtReadyMs: cpuMs(process.cpuUsage()), rssAfterImportMb: mb(process.memoryUsage.rss()),
  });
  // The bench ends an instance by closing the channel: a normal exit, so --cpu-prof writes its profile.
  process.on('disconnect', () => process.exit(0));
  let calls = 0;
  const context = (requestId) => ({
    awsRequestId: requestId, functionName: 'atende-inbound-email', functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:atende-inbound-email',
    memoryLimitInMB: memoryMb, logGroupName: '/aws/lambda/atende-inbound-email',
    logStreamName: '2026/12/04/[$LATEST]bench', callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 60000,
  });
  process.on('message', async ({ id, event, sampleHeap }) => {
    let heapPeak = 0;
    const sample = () => { heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size); };
    const sampler = sampleHeap ? setInterval(sample, 1) : null;
    const report = { type: 'invoked', id };
    const cpu = process.cpuUsage();
    const wall = performance.now();
    try { report.result = await bundle.handler(event, context('bench-' + ++calls)); }
    catch (error) { report.error = { name: String(error?.name), message: String(error?.message) }; }
    report.wallMs = performance.now() - wall;
    report.cpuMs = cpuMs(process.cpuUsage(cpu));
    report.doneAtMs = performance.now();
    if (sampler) clearInterval(sampler);
    sample();
    report.peakRssMb = peakRssMb();
    report.heapUsedPeakMb = mb(heapPeak);
    process.send(report);
  });
`;

export interface LambdaProcess {
  readonly ready: LambdaReady;
  readonly pid: number;
  /** Bytes the function wrote to stdout so far: its JSON log lines and metrics (CloudWatch's on AWS). */
  logBytes(): number;
  /** Runs the handler with `event` and waits for it; `sampleHeap` samples the heap every millisecond meanwhile (it costs CPU: memory runs only). */
  invoke(event: unknown, options?: { sampleHeap?: boolean }): Promise<LambdaInvocation>;
  stop(): Promise<void>;
}

/**
 * Starts a cold instance of the bundle `file` with `environment` (and nothing else of this
 * process's). Its stdout (the function's JSON logs, CloudWatch's on AWS) is read and dropped;
 * its stderr is kept to explain a crash.
 */
export async function startLambdaProcess(
  file: string,
  environment: Record<string, string>,
  memoryMb: number,
  /** Node's own flags before the harness (`--cpu-prof …`: NODE_OPTIONS does not take those). */
  nodeArguments: readonly string[] = [],
): Promise<LambdaProcess> {
  const spawned = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArguments, '--input-type=module', '-e', HARNESS, file, String(memoryMb)],
    { env: { PATH: process.env['PATH'] ?? '', ...environment }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stderr = '';
  let logBytes = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    logBytes += chunk.byteLength;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`the function's process ended (${code ?? signal}):\n${stderr}`)),
    ),
  );
  exited.catch(() => undefined);
  const nextMessage = (): Promise<unknown> =>
    Promise.race([new Promise((resolve) => child.once('message', resolve)), exited]);

  const ready = { ...Ready.parse(await nextMessage()), spawnToReadyMs: performance.now() - spawned };
  let sequence = 0;
  return {
    ready,
    pid: child.pid ?? -1,
    logBytes: () => logBytes,
    async invoke(event, options = {}) {
      const id = ++sequence;
      const answer = nextMessage();
      child.send({ id, event, sampleHeap: options.sampleHeap ?? false });
      const invoked = Invoked.parse(await answer);
      if (invoked.id !== id) throw new Error(`answer ${invoked.id} for invocation ${id}`);
      return invoked;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
