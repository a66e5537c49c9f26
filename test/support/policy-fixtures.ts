import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BusinessCalendar } from '../../lib/domain/calendar/business-calendar.ts';
import { parsePolicy } from '../../lib/domain/policy/parse-policy.ts';
import { CalendarSchema, type ContactSpec, type Policy } from '../../lib/domain/policy/policy-schema.ts';

export const repositoryPath = (relative: string): string =>
  fileURLToPath(new URL(`../../${relative}`, import.meta.url));

/** Loads a policy shipped in policy/ (default.yaml or examples/<name>.yaml). */
export const shippedPolicy = (relative: string): Policy =>
  parsePolicy(readFileSync(repositoryPath(`policy/${relative}`), 'utf8'), relative);

/** A calendar written the way a policy writes it. */
export const calendarOf = (spec: unknown, name = 'test'): BusinessCalendar =>
  new BusinessCalendar(name, CalendarSchema.parse(spec));

/** Epoch ms of an ISO time with an explicit offset. */
export const at = (iso: string): number => {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) throw new Error(`bad test time ${iso}`);
  return instant;
};

export const iso = (instant: number | null): string | null =>
  instant === null ? null : new Date(instant).toISOString();

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export const weekdays = (hours: unknown, weekend: unknown = 'closed') => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
  sat: weekend,
  sun: weekend,
});

/** The shipped default policy with its first escalation level's contacts changed (the other levels as shipped). */
export function withFirstEscalationContacts(
  contacts: (shipped: readonly ContactSpec[]) => readonly ContactSpec[],
  policy: Policy = shippedPolicy('default.yaml'),
): Policy {
  const escalation = policy.sla.escalation!;
  const [first, ...rest] = escalation.levels;
  return {
    ...policy,
    sla: {
      ...policy.sla,
      escalation: { ...escalation, levels: [{ ...first!, contacts: [...contacts(first!.contacts)] }, ...rest] },
    },
  } as Policy;
}
