import type { Policy } from '../policy/policy-schema.ts';
import { keywordMatcher } from './keyword-matching.ts';

/** What inference needs of a policy: the priorities, most severe first, with keywords per language. */
export interface PriorityRules {
  readonly priorities: {
    readonly default: string;
    readonly levels: readonly Pick<Policy['priorities']['levels'][number], 'name' | 'keywords'>[];
  };
}

export interface PriorityMessage {
  readonly subject: string;
  readonly text: string;
  /** The message's language tag; its keywords are used, or every language's when it has none. */
  readonly language?: string | null;
}

/** A keyword in the subject counts this many times one in the text: the subject is the customer's summary. */
export const SUBJECT_WEIGHT = 3;

/**
 * The priority a message's words suggest: each level scores SUBJECT_WEIGHT for every keyword
 * of it found in the subject and 1 for every one found in the text (whole words and phrases,
 * accent- and case-insensitive). The highest score wins; on a tie the more severe level, the
 * one listed earlier in the policy. No keyword at all gives the policy's default.
 */
export function inferPriority(rules: PriorityRules, message: PriorityMessage): string {
  const levels = rules.priorities.levels;
  const language = message.language ?? null;
  const known = language !== null && levels.some((level) => (level.keywords[language]?.length ?? 0) > 0);
  let best: { name: string; score: number } | null = null;
  for (const level of levels) {
    const keywords =
      known && language !== null ? (level.keywords[language] ?? []) : Object.values(level.keywords).flat();
    const matcher = keywordMatcher(keywords);
    const score = SUBJECT_WEIGHT * matcher.found(message.subject).length + matcher.found(message.text).length;
    // Strictly greater: an earlier (more severe) level keeps a tie.
    if (score > 0 && (best === null || score > best.score)) best = { name: level.name, score };
  }
  return best?.name ?? rules.priorities.default;
}
