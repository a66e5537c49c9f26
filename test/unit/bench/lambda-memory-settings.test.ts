import { describe, expect, it } from 'vitest';
import { FULL_VCPU_MB, memorySettings, peakRssFor } from '../../../bench/lambda-memory-settings.ts';

/** The model the inbound-function bench chooses the inbound function's memory with. */
const measured = {
  warmCpuMs: 20,
  waitMs: 40,
  coldCpuMs: 800,
  peaks: [
    { bytes: 1_000, peakRssMb: 150 },
    { bytes: 1_000_000, peakRssMb: 155 },
    { bytes: 25_000_000, peakRssMb: 275 },
  ],
  chosenMb: 1024,
};
const row = (memoryMb: number) => memorySettings(measured).rows.find((setting) => setting.memoryMb === memoryMb)!;

describe('memorySettings', () => {
  it('stretches only the CPU part of a duration below a full vCPU, and nothing above', () => {
    expect(row(FULL_VCPU_MB).warmMsPerMessage).toBe(60);
    expect(row(512).warmMsPerMessage).toBeCloseTo((20 * FULL_VCPU_MB) / 512 + 40, 1);
    expect(row(FULL_VCPU_MB).coldStartMs).toBe(840);
    expect(row(512).coldStartMs).toBe(Math.round((800 * FULL_VCPU_MB) / 512 + 40));
  });

  it('prices a warm mail and what a cold start adds at the GB-seconds of each setting', () => {
    const gbSecond = 0.0000133334;
    // Three significant digits.
    const near = (actual: number, expected: number) =>
      expect(Math.abs(actual - expected) / expected).toBeLessThan(0.005);

    near(row(FULL_VCPU_MB).usdPer1000Mails, (FULL_VCPU_MB / 1024) * 0.06 * gbSecond * 1000);
    near(row(FULL_VCPU_MB).usdPer1000ColdStarts, (FULL_VCPU_MB / 1024) * 0.78 * gbSecond * 1000);
    // CPU-bound work costs about the same GB-seconds at any setting; waiting costs less with less memory.
    expect(row(512).usdPer1000Mails).toBeLessThan(row(1024).usdPer1000Mails);
  });

  it('extrapolates peak RSS along the two largest mails to the 40 MB SES accepts', () => {
    expect(peakRssFor(measured.peaks, 40_000_000)).toBeCloseTo(275 + (120 / 24_000_000) * 15_000_000, 6);
    expect(memorySettings(measured).largestPeakMb).toBe(350);
    expect(row(256).holds40MbMail).toBe(false);
    expect(row(512).holds40MbMail).toBe(true);
  });

  it('advises the cheapest setting that holds the largest mail, and marks the stack’s', () => {
    const { rows, advice } = memorySettings(measured);
    const cheapest = rows
      .filter((setting) => setting.holds40MbMail)
      .sort((a, b) => a.usdPer1000Mails - b.usdPer1000Mails)[0]!;

    expect(advice).toContain(`is ${cheapest.memoryMb} MB`);
    expect(rows.filter((setting) => setting.chosen).map((setting) => setting.memoryMb)).toEqual([1024]);
  });

  it('says so when no setting holds the largest mail', () => {
    const huge = memorySettings({ ...measured, peaks: [measured.peaks[0]!, { bytes: 25_000_000, peakRssMb: 1_500 }] });

    expect(huge.rows.every((setting) => !setting.holds40MbMail)).toBe(true);
    expect(huge.advice).toMatch(/^no setting/);
  });
});
