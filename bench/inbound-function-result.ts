import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { newestResult } from './result-history.ts';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

/** The figures of an inbound-function result that other benchmarks price (aws-cost.ts). */
const InboundFunctionResult = z.object({
  measuredAt: z.string(),
  machine: z.object({ loadBefore: z.array(z.number()) }),
  setup: z.object({ memoryMb: z.number() }),
  warm: z.object({ logBytesPerMessage: z.number(), byKind: z.object({ new: z.object({ messages: z.number() }) }) }),
  memorySettings: z.array(
    z.object({ memoryMb: z.number(), vcpu: z.number(), warmMsPerMessage: z.number(), coldStartMs: z.number() }),
  ),
});

export interface InboundFunctionFigures {
  /** Where the figures come from: `bench/results/inbound-function/<file>`, with its load. */
  readonly source: string;
  readonly memoryMb: number;
  readonly messages: number;
  /** What the function writes to its log per mail (JSON lines and EMF metrics). */
  readonly logBytesPerMessage: number;
  /** Per memory setting: a warm new-ticket mail's duration and a cold start's (bootstrap, import, first mail), on that setting's share of a vCPU. */
  readonly settings: readonly {
    readonly memoryMb: number;
    readonly vcpu: number;
    readonly warmMsPerMessage: number;
    readonly coldStartMs: number;
  }[];
}

/** The newest inbound-function result's figures, or null when the bench has never run here (or its result has another shape). */
export function newestInboundFunctionFigures(): InboundFunctionFigures | null {
  const newest = newestResult(RESULTS, 'inbound-function');
  if (newest === null) return null;
  const parsed = InboundFunctionResult.safeParse(newest.report);
  if (!parsed.success) return null;
  const { machine, setup, warm, memorySettings } = parsed.data;
  return {
    source: `bench/results/${newest.file} (load ${machine.loadBefore[0]})`,
    memoryMb: setup.memoryMb,
    messages: warm.byKind.new.messages,
    logBytesPerMessage: warm.logBytesPerMessage,
    settings: memorySettings,
  };
}
