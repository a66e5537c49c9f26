import { LAMBDA_ARM64_GB_SECOND, unitPrice } from './aws-prices.ts';

/**
 * What the inbound function would take and cost at each memory setting, from figures measured
 * on one full core here. Lambda gives CPU in proportion to memory, a full vCPU at 1,769 MB
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html); the handler is one
 * Node thread, so more than that does not speed it up. The model: a duration is its CPU time,
 * stretched by 1,769 / memory below a full vCPU, plus its waiting for DynamoDB, S3 and SES,
 * which memory does not change. The waiting is taken from the least-waiting warm mails (the
 * bench gives their 10th percentile of wall − CPU): on a loaded machine the rest of a mail's
 * wall time is waiting for a core, which Lambda does not share. A cold start waits as its
 * first mail does. It ignores the speed difference of this machine's core and Graviton's.
 */
export const FULL_VCPU_MB = 1_769;
export const SETTINGS_MB = [256, 512, 768, 1024, 1536, 1769] as const;
/** SES accepts inbound mail of up to 40 MB: the function must hold one with room to spare. */
export const LARGEST_MAIL_BYTES = 40_000_000;
/** Share of the memory setting the largest mail's peak RSS may use (the rest: GC headroom, the runtime). */
const HEADROOM = 0.8;

export interface MeasuredFigures {
  /** A warm mail's mean CPU time (the bench gives its new-ticket mails'). */
  readonly warmCpuMs: number;
  /** What a mail waits for its AWS calls' answers. */
  readonly waitMs: number;
  /** The CPU time of a cold start: bootstrap, import and the first mail. */
  readonly coldCpuMs: number;
  /** Peak RSS against the raw mail's size (at least two sizes). */
  readonly peaks: readonly { readonly bytes: number; readonly peakRssMb: number }[];
  readonly chosenMb: number;
}

const stretched = (cpuMs: number, waitMs: number, memoryMb: number) =>
  (cpuMs * FULL_VCPU_MB) / Math.min(memoryMb, FULL_VCPU_MB) + waitMs;

/** Peak RSS for a mail of `bytes`, on the line through the two largest measured mails (memory grows linearly with the mail). */
export const peakRssFor = (peaks: MeasuredFigures['peaks'], bytes: number): number => {
  const [small, large] = [...peaks].sort((a, b) => a.bytes - b.bytes).slice(-2);
  if (small === undefined || large === undefined) throw new Error('two measured sizes are needed');
  const perByte = (large.peakRssMb - small.peakRssMb) / (large.bytes - small.bytes);
  return large.peakRssMb + perByte * (bytes - large.bytes);
};

export function memorySettings(measured: MeasuredFigures) {
  const largestPeakMb = peakRssFor(measured.peaks, LARGEST_MAIL_BYTES);
  const rows = SETTINGS_MB.map((memoryMb) => {
    const warmMs = stretched(measured.warmCpuMs, measured.waitMs, memoryMb);
    const coldStartMs = stretched(measured.coldCpuMs, measured.waitMs, memoryMb);
    const usdPer1000 = (ms: number) =>
      Number(((memoryMb / 1024) * (Math.ceil(ms) / 1000) * unitPrice(LAMBDA_ARM64_GB_SECOND) * 1000).toPrecision(3));
    return {
      memoryMb,
      vcpu: Math.round((Math.min(memoryMb, FULL_VCPU_MB) / FULL_VCPU_MB) * 100) / 100,
      warmMsPerMessage: Math.round(warmMs * 10) / 10,
      coldStartMs: Math.round(coldStartMs),
      usdPer1000Mails: usdPer1000(warmMs),
      /** What a cold start adds to its mail (Lambda bills the INIT phase too), per 1,000 of them. */
      usdPer1000ColdStarts: usdPer1000(Math.max(0, coldStartMs - warmMs)),
      holds40MbMail: largestPeakMb <= memoryMb * HEADROOM,
      chosen: memoryMb === measured.chosenMb,
    };
  });
  const holding = rows.filter((row) => row.holds40MbMail);
  const cheapest = [...holding].sort((a, b) => a.usdPer1000Mails - b.usdPer1000Mails)[0];
  const chosen = rows.find((row) => row.chosen);
  const advice =
    cheapest === undefined
      ? `no setting up to ${FULL_VCPU_MB} MB holds a 40 MB mail (peak RSS ~${Math.round(largestPeakMb)} MB)`
      : `a 40 MB mail peaks at ~${Math.round(largestPeakMb)} MB RSS (extrapolated); the cheapest setting that holds it ` +
        `within ${HEADROOM * 100} % is ${cheapest.memoryMb} MB: $${cheapest.usdPer1000Mails} per 1,000 mails, ` +
        `${cheapest.warmMsPerMessage} ms warm, ~${cheapest.coldStartMs} ms cold ($${cheapest.usdPer1000ColdStarts} per 1,000 cold starts)` +
        (chosen === undefined
          ? ''
          : `; the stack's ${chosen.memoryMb} MB: $${chosen.usdPer1000Mails}, ${chosen.warmMsPerMessage} ms warm, ~${chosen.coldStartMs} ms cold ($${chosen.usdPer1000ColdStarts} per 1,000 cold starts)`);
  return { rows, largestPeakMb: Math.round(largestPeakMb), advice };
}
