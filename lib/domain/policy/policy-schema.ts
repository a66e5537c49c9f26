import { IANAZone } from 'luxon';
import * as z from 'zod';
import {
  DAY_HOURS_HINT,
  DURATION_HINT,
  type MinuteRange,
  type Parsed,
  parseDayHours,
  parseDuration,
  parsePercent,
  parseSize,
  parseTarget,
  SIZE_HINT,
  type SlaTarget,
  TARGET_HINT,
} from './policy-grammar.ts';
import { expectedMessage } from './problem-wording.ts';

/**
 * The support-policy language: one YAML file a support manager writes.
 * Every object is strict (a misspelt key is an error, not a silently ignored setting),
 * and references between sections are checked in `checkReferences` below.
 */

/**
 * Turns a grammar parser into a zod string schema whose output is the parsed value;
 * `hint` says what is expected when the value is not even a string (`within: 4`).
 */
function grammar<T>(description: string, hint: string, parse: (input: string) => Parsed<T>) {
  return z
    .string({ error: expectedMessage(hint) })
    .describe(description)
    .transform((input, ctx) => {
      const result = parse(input);
      if (result.ok) return result.value;
      ctx.issues.push({ code: 'custom', message: result.reason, input });
      return z.NEVER;
    });
}

const quoted = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

export const EmailAddress = z
  .email({
    error: (issue) =>
      issue.code === 'invalid_type'
        ? expectedMessage('an e-mail address')(issue)
        : `${quoted(issue.input)} is not an e-mail address`,
  })
  .transform((address) => address.toLowerCase())
  .describe('An e-mail address');

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
export const DomainName = z
  .string()
  .regex(DOMAIN, { error: (issue) => `${quoted(issue.input)} is not a domain name (write "example.com", without "@")` })
  .transform((domain) => domain.toLowerCase())
  .describe('A mail domain, e.g. example.com');

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const Name = (what: string) =>
  z
    .string()
    .regex(NAME, {
      error: (issue) =>
        `${quoted(issue.input)} is not a valid ${what} name (lower-case letters, digits, "-", "_", ".")`,
    })
    .describe(`The ${what}'s name, used on the command line and in tickets`);

/** BCP 47 language tags as the templates use them: "en", "es", "pt-BR". */
export const LanguageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, {
    error: (issue) => `${quoted(issue.input)} is not a language tag such as "en", "es" or "pt-BR"`,
  })
  .describe('A language tag: en, es, pt-BR, de, ru …');

const PerLanguage = <T extends z.ZodType>(value: T) =>
  z.record(LanguageTag, value).describe('One entry per offered language, keyed by language tag');

/**
 * A delay or a period (reminder, auto-close, escalation, follow-up interval, notice period).
 * Zero is refused: "0m" reads as "at once" or "always", which the setting either cannot mean or
 * already means when left out, so `advice` says what to write instead.
 */
const Delay = (options: { allowDays: boolean; description: string; hint: string; advice: string }) =>
  grammar(options.description, options.hint, (text): Parsed<number> => {
    const result = parseDuration(text, { allowDays: options.allowDays });
    if (result.ok && result.value === 0)
      return { ok: false, reason: `"${text}": a delay must be longer than zero; ${options.advice}` };
    return result;
  });

/** A wall-clock delay ("30m", "4h", "2d"); `advice` says what to write instead of zero. */
const Duration = (advice: string) =>
  Delay({
    allowDays: true,
    description: 'A wall-clock duration: "30m", "4h", "1h30m", "2d", "48 hours"',
    hint: DURATION_HINT,
    advice,
  });
const BusinessDuration = (advice: string) =>
  Delay({
    allowDays: false,
    description:
      'Business time on the ticket\'s calendar: "30m", "2h", "1h30m" (day-based targets use "N business days")',
    hint: 'business time such as "30m", "2h" or "1h30m"',
    advice,
  });
export const Target = grammar(
  'An SLA target: "1h", "30m", "end of business day", "3 business days", or parts joined by "or" where the sooner wins ("4h or end of business day")',
  TARGET_HINT,
  parseTarget,
);
const Percent = z
  .union([z.number(), z.string()], { error: expectedMessage('a percentage such as 75 or "75%"') })
  .describe('A percentage of the target: 75 or "75%"')
  .transform((input, ctx) => {
    const result = parsePercent(input);
    if (result.ok) return result.value;
    ctx.issues.push({ code: 'custom', message: result.reason, input });
    return z.NEVER;
  });

const DayHours = z
  .union([z.string(), z.array(z.string()).min(1)], { error: expectedMessage(DAY_HOURS_HINT) })
  .describe(`Opening hours of one day: ${DAY_HOURS_HINT}`)
  .transform((input, ctx): MinuteRange[] => {
    const result = parseDayHours(input);
    if (result.ok) return result.value;
    ctx.issues.push({ code: 'custom', message: result.reason, input });
    return z.NEVER;
  });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const WeeklyHours = z.strictObject({
  mon: DayHours,
  tue: DayHours,
  wed: DayHours,
  thu: DayHours,
  fri: DayHours,
  sat: DayHours,
  sun: DayHours,
});

const AROUND_THE_CLOCK = '24/7';
const Week = z
  .union([z.literal(AROUND_THE_CLOCK), WeeklyHours], {
    error: expectedMessage('"24/7" or one entry per weekday (mon … sun)'),
  })
  .describe('Weekly opening hours, "24/7", or one entry per weekday (mon … sun)')
  .transform((week): Record<Weekday, MinuteRange[]> => {
    if (week === AROUND_THE_CLOCK) {
      const allDay = [{ start: 0, end: 24 * 60 }];
      return { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
    }
    return week;
  });

const IsoDate = z.iso.date({ error: (issue) => `${quoted(issue.input)} is not a date (YYYY-MM-DD)` });

const Holiday = z.strictObject({
  date: IsoDate,
  name: z.string().min(1).describe('Shown to agents, e.g. "Christmas Day"'),
  hours: DayHours.optional().describe('Reduced opening hours on that date; closed all day when left out'),
});

const TimeZone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), {
    error: (issue) =>
      `${quoted(issue.input)} is not an IANA time zone such as "America/Toronto" or "America/Sao_Paulo"`,
  })
  .describe('IANA time zone, e.g. America/Toronto');

export const CalendarSchema = z
  .strictObject({
    timeZone: TimeZone,
    week: Week,
    holidays: z.array(Holiday).default([]),
  })
  .superRefine((calendar, ctx) => {
    const weeklyOpen = WEEKDAYS.some((day) => calendar.week[day].length > 0);
    if (!weeklyOpen)
      ctx.addIssue({
        code: 'custom',
        path: ['week'],
        message: 'the calendar is never open: give at least one day opening hours',
      });
    const seen = new Set<string>();
    calendar.holidays.forEach((holiday, index) => {
      if (seen.has(holiday.date))
        ctx.addIssue({ code: 'custom', path: ['holidays', index, 'date'], message: `${holiday.date} is listed twice` });
      seen.add(holiday.date);
    });
  });

const CustomerMatch = z
  .strictObject({
    addresses: z.array(EmailAddress).default([]),
    domains: z.array(DomainName).default([]),
  })
  .describe('Customers by exact address or by mail domain');

const Contact = z.strictObject({
  name: z.string().min(1),
  role: z.string().min(1),
  address: EmailAddress,
  phone: z.string().optional(),
  language: LanguageTag.optional().describe(
    "The language this contact's mail is written in; default: languages.default",
  ),
});

const QueueSchema = z.strictObject({
  name: Name('queue').optional().describe('Defaults to the local part of the address (servicedesk@… → servicedesk)'),
  address: EmailAddress.describe('The support address customers write to'),
  description: z.string().optional(),
  calendar: z.string().describe('Name of the business calendar (see calendars) the SLA clock follows'),
  agents: EmailAddress.describe('Where new-ticket notifications for agents go'),
  staff: CustomerMatch.optional().describe('Staff of this queue, in addition to the policy-wide staff'),
});

const RegionSchema = z.strictObject({
  name: Name('region'),
  description: z.string().optional(),
  calendar: z.string().describe("Name of the business calendar that applies instead of the queue's"),
  queues: z.array(z.string()).optional().describe('Queues the region applies to; all queues when left out'),
  customers: CustomerMatch.default({ addresses: [], domains: [] }),
});

/** What agents may call a priority or a plan in their language (`#prioridad alta`), besides its name. */
const Labels = (what: string) =>
  PerLanguage(z.string().min(1))
    .default({})
    .describe(`The ${what}'s name per language, accepted in agents' commands besides its name`);

const PrioritySchema = z.strictObject({
  name: Name('priority'),
  description: z.string().min(1),
  responseStrategy: z.string().optional().describe('What agents should do, sent with the new-ticket notification'),
  keywords: PerLanguage(z.array(z.string().min(1)))
    .default({})
    .describe('Words or phrases, per language, that infer this priority from a message'),
  labels: Labels('priority'),
});

const PlanSchema = z.strictObject({
  name: Name('plan'),
  description: z.string().optional(),
  customers: CustomerMatch.default({ addresses: [], domains: [] }),
  labels: Labels('plan'),
});

export const CHANNELS = ['email', 'web', 'chat', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];
const ChannelName = z.enum(CHANNELS, {
  error: (issue) => `${quoted(issue.input)} is not a channel; valid channels: ${CHANNELS.join(', ')}`,
});

const OneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);

const TargetRule = z
  .strictObject({
    priority: OneOrMany(z.string()).optional().describe('Applies to these priorities only'),
    plan: OneOrMany(z.string()).optional().describe('Applies to these plans only'),
    channel: OneOrMany(ChannelName).optional().describe('Applies to tickets that came through these channels only'),
    queue: OneOrMany(z.string()).optional().describe('Applies to these queues only'),
    within: Target,
  })
  .describe(
    'A target applies when every selector given matches the ticket; of all applying targets the stricter (earlier due) wins',
  );

const EscalationLevel = z.strictObject({
  after: z
    .union([z.literal('breach'), BusinessDuration('write "breach" for at once')], {
      error: expectedMessage('"breach" or business time such as "30m" or "2h"'),
    })
    .default('breach')
    .describe('Business time after the breach (first level) or after the previous level; "breach" means at once')
    .transform((after) => (after === 'breach' ? 0 : after)),
  contacts: z.array(Contact).min(1),
});

export const FIRST_RESPONSE_KINDS = ['acknowledgement', 'agent-reply'] as const;

const SlaSchema = z.strictObject({
  firstResponseIs: z
    .enum(FIRST_RESPONSE_KINDS, {
      error: (issue) => `${quoted(issue.input)} is not one of: ${FIRST_RESPONSE_KINDS.join(', ')}`,
    })
    .describe(
      '"acknowledgement": the automatic acknowledgement is the first response; "agent-reply": only a human agent\'s first real answer',
    ),
  warningAt: Percent.optional().describe('Warn agents when this share of a target has elapsed'),
  firstResponse: z.array(TargetRule).default([]),
  resolution: z.array(TargetRule).default([]),
  escalation: z
    .strictObject({
      targets: z.array(z.enum(['firstResponse', 'resolution'])).default(['firstResponse', 'resolution']),
      levels: z.array(EscalationLevel).min(1),
    })
    .optional(),
});

const Reopen = z.strictObject({
  within: Duration('write a period such as "7d"')
    .default(7 * 24 * 60)
    .describe("A customer's reply within this long of a ticket's closing reopens it; later mail opens a new ticket"),
});

const WaitingOnCustomer = z.strictObject({
  pausesSla: z.boolean().default(true).describe('The SLA clock stops while the ticket waits on the customer'),
  remindAfter: Duration('leave remindAfter out to send no reminder')
    .optional()
    .describe('Send the customer a reminder after this long without an answer'),
  closeAfter: Duration('leave closeAfter out to never close a ticket for want of an answer')
    .optional()
    .describe('Close the ticket after this long without an answer'),
});

/** SES takes at most 50 recipients per message; the requester is one of them. */
export const MAX_PARTICIPANTS_LIMIT = 49;
export const DEFAULT_MAX_PARTICIPANTS = 10;

const Participants = z.strictObject({
  max: z
    .number()
    .int()
    .min(0)
    .max(MAX_PARTICIPANTS_LIMIT)
    .default(DEFAULT_MAX_PARTICIPANTS)
    .describe(
      `Most people Cc'd on a ticket besides the requester (0 to ${MAX_PARTICIPANTS_LIMIT}); more are recorded on the ticket, told to agents and never mailed`,
    ),
});

export const ASSIGNMENT_NOTIFY = ['assignee-and-agents', 'assignee-only'] as const;

const Assignment = z.strictObject({
  notify: z
    .enum(ASSIGNMENT_NOTIFY, {
      error: (issue) => `${quoted(issue.input)} is not one of: ${ASSIGNMENT_NOTIFY.join(', ')}`,
    })
    .default('assignee-and-agents')
    .describe(
      "Where an assigned ticket's notices to agents go: the assignee and the queue's agents address, or the assignee alone",
    ),
});

const Survey = z.strictObject({
  onResolution: z.boolean().default(false).describe('Send a satisfaction survey when a ticket is resolved'),
  onAutoClose: z.boolean().default(false).describe('Send a satisfaction survey with the auto-close notice'),
  url: z.url().optional().describe('Survey page; atende adds the ticket number and a rating'),
});

/** The 90 days a status link opens the ticket's page for, in minutes. */
export const DEFAULT_STATUS_LINK_VALID_FOR = 90 * 24 * 60;

const StatusPage = z.strictObject({
  linkValidFor: Duration('write a period such as "90d"')
    .default(DEFAULT_STATUS_LINK_VALID_FOR)
    .describe("How long the status link in a customer's mail opens the ticket's page"),
});

/** How many tickets one sender may open through the web form in a period. */
const WebFormLimit = (what: string, tickets: number) =>
  z
    .strictObject({
      tickets: z.number().int().min(1).max(1_000_000).describe(`Most web-form tickets ${what} may open per period`),
      per: Duration('write a period such as "1h"').describe('The period, counted in fixed windows'),
    })
    .default({ tickets, per: 60 });

export const DEFAULT_WEB_FORM_PER_ADDRESS = { tickets: 10, per: 60 } as const;
export const DEFAULT_WEB_FORM_PER_IP = { tickets: 100, per: 60 } as const;

const WebForm = z.strictObject({
  perAddress: WebFormLimit('one e-mail address', DEFAULT_WEB_FORM_PER_ADDRESS.tickets).describe(
    'Tickets per requester address; more are answered 429 with Retry-After',
  ),
  perIp: WebFormLimit('one client IP address', DEFAULT_WEB_FORM_PER_IP.tickets).describe(
    "Tickets per client IP; not applied to posts signed with ATENDE_WEBFORM_SECRET (a company's backend posts for all its customers from one address). Raise it when many customers share one office's address",
  ),
});

const Conduct = z.strictObject({
  duplicates: z
    .enum(['merge', 'close', 'allow'])
    .default('merge')
    .describe(
      'A second message on the same subject from the same requester while their ticket is open: merge it into that ticket, close the new one as a duplicate, or allow it',
    ),
  minFollowUpInterval: Duration('leave minFollowUpInterval out for no minimum')
    .optional()
    .describe(
      'A follow-up within this interval of the last one that reached the agents gets no acknowledgement and no mail of its own: the agents receive the follow-ups so held in one mail at the end of the interval',
    ),
  shouting: z.enum(['flag', 'ignore']).default('ignore').describe('Flag messages written in capitals for agents'),
  rudeWords: PerLanguage(z.array(z.string().min(1)))
    .default({})
    .describe('Rude or offensive words, per language, flagged for agents'),
  noticeEvery: Duration('leave noticeEvery out to cite the rules whenever a message is flagged')
    .optional()
    .describe('Cite the conduct rule in an acknowledgement at most once per customer per this period'),
  suspension: z
    .strictObject({
      allowed: z.boolean().default(false),
      notice: z.string().optional().describe('What the policy says about suspension, quoted to suspended customers'),
    })
    .default({ allowed: false }),
  rules: PerLanguage(z.array(z.string().min(1)))
    .default({})
    .describe('The customer-facing conduct rules, per language'),
});

/**
 * The most files a mail to agents or a relay may carry in total. SES v2 sends messages of up to
 * 40 MB, and base64 makes a file a third larger: 28 MB of files leave room for the text, the HTML
 * and the MIME around them.
 */
export const MAX_FORWARD_LIMIT_BYTES = 28 * 1000 * 1000;
export const DEFAULT_FORWARD_LIMIT_BYTES = 10 * 1000 * 1000;

/**
 * The most files one web-form post may attach. Each is described on the stored message and named
 * in the receipt's owed `attachments` effect (DynamoDB items hold 400 KB): 20 keeps both small.
 */
export const MAX_WEB_FORM_FILES = 20;
export const DEFAULT_WEB_FORM_FILES = 5;

const Attachments = z.strictObject({
  forwardLimit: grammar('A size: "10MB", "512KB", "2.5MB"', SIZE_HINT, (text): Parsed<number> => {
    const result = parseSize(text);
    if (result.ok && result.value > MAX_FORWARD_LIMIT_BYTES)
      return { ok: false, reason: `"${text}" is over 28MB, the most a message can carry (SES takes 40 MB, encoded)` };
    return result;
  })
    .default(DEFAULT_FORWARD_LIMIT_BYTES)
    .describe(
      "The most, in total, of a message's files attached to the agents' notification or to an agent's relayed reply; the rest are listed (dangerous types are never attached)",
    ),
  webFormFiles: z
    .number()
    .int()
    .min(0)
    .max(MAX_WEB_FORM_FILES)
    .default(DEFAULT_WEB_FORM_FILES)
    .describe(
      'The most files one web-form post (multipart/form-data) may attach; 0 takes none. Their total is bounded by the post body limit (4 MiB)',
    ),
});

export const TICKET_STATUSES = ['new', 'open', 'in-progress', 'waiting-on-customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

const Statuses = z
  .strictObject({
    new: PerLanguage(z.string().min(1)),
    open: PerLanguage(z.string().min(1)),
    'in-progress': PerLanguage(z.string().min(1)),
    'waiting-on-customer': PerLanguage(z.string().min(1)),
    resolved: PerLanguage(z.string().min(1)),
    closed: PerLanguage(z.string().min(1)),
  })
  .describe('The name customers see for each ticket status, per offered language');

export const PolicySchema = z
  .strictObject({
    $schema: z.string().optional(),
    brand: z.strictObject({
      name: z.string().min(1).describe('Shown in mail signatures and pages'),
      tag: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, {
          error: 'the subject tag may hold letters, digits, spaces, "-", "_" and "."',
        })
        .describe('Subject tag prefix: "Atende" gives "[Atende #1042]"'),
      logo: z
        .url({ protocol: /^https$/, error: 'the logo is an https:// address of an image' })
        .max(2048)
        .optional()
        .describe(
          "An https:// address of the company's logo, shown above the name on the form and the customer's pages (its origin is the only other one their Content-Security-Policy allows images from)",
        ),
    }),
    languages: z.strictObject({
      offered: z.array(LanguageTag).min(1),
      default: LanguageTag,
    }),
    staff: CustomerMatch.default({ addresses: [], domains: [] }).describe(
      'Agents of every queue, by address or domain',
    ),
    calendars: z.record(z.string(), CalendarSchema).describe('Named business calendars'),
    queues: z.array(QueueSchema).min(1),
    regions: z.array(RegionSchema).default([]),
    priorities: z.strictObject({
      default: z.string(),
      levels: z.array(PrioritySchema).min(1),
    }),
    plans: z
      .strictObject({
        default: z.string(),
        levels: z.array(PlanSchema).min(1),
      })
      .optional(),
    sla: SlaSchema,
    waitingOnCustomer: WaitingOnCustomer.default({ pausesSla: true }),
    reopen: Reopen.default({ within: 7 * 24 * 60 }),
    participants: Participants.default({ max: DEFAULT_MAX_PARTICIPANTS }),
    assignment: Assignment.default({ notify: 'assignee-and-agents' }),
    survey: Survey.default({ onResolution: false, onAutoClose: false }),
    conduct: Conduct.default({
      duplicates: 'merge',
      shouting: 'ignore',
      rudeWords: {},
      suspension: { allowed: false },
      rules: {},
    }),
    statuses: Statuses,
    attachments: Attachments.default({
      forwardLimit: DEFAULT_FORWARD_LIMIT_BYTES,
      webFormFiles: DEFAULT_WEB_FORM_FILES,
    }),
    statusPage: StatusPage.default({ linkValidFor: DEFAULT_STATUS_LINK_VALID_FOR }),
    webForm: WebForm.default({ perAddress: DEFAULT_WEB_FORM_PER_ADDRESS, perIp: DEFAULT_WEB_FORM_PER_IP }),
  })
  .transform((policy) => ({
    ...policy,
    queues: policy.queues.map((queue) => ({ ...queue, name: queue.name ?? queue.address.split('@')[0]! })),
  }))
  .superRefine(checkReferences);

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type Queue = Policy['queues'][number];
export type Region = Policy['regions'][number];
export type Priority = Policy['priorities']['levels'][number];
export type Plan = NonNullable<Policy['plans']>['levels'][number];
export type BusinessCalendarSpec = z.output<typeof CalendarSchema>;
export type TargetRuleSpec = z.output<typeof TargetRule>;
export type EscalationLevelSpec = z.output<typeof EscalationLevel>;
export type ContactSpec = z.output<typeof Contact>;
export type { SlaTarget };

type Path = (string | number)[];

const plural = (word: string): string => (word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`);

/** Cross-references between sections, each error naming the valid choices. */
function checkReferences(policy: Policy, ctx: z.RefinementCtx): void {
  const report = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const mustName = (path: Path, value: string, valid: readonly string[], what: string) => {
    if (!valid.includes(value))
      report(path, `${quoted(value)} is not a ${what}; valid ${plural(what)}: ${valid.join(', ') || '(none defined)'}`);
  };
  const unique = (path: Path, values: readonly string[], what: string) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value)) report([...path, index], `${what} ${quoted(value)} is defined twice`);
      seen.add(value);
    });
  };

  const calendars = Object.keys(policy.calendars);
  const queues = policy.queues.map((queue) => queue.name);
  const priorities = policy.priorities.levels.map((priority) => priority.name);
  const plans = policy.plans?.levels.map((plan) => plan.name) ?? [];
  const offered = policy.languages.offered;

  mustName(['languages', 'default'], policy.languages.default, offered, 'offered language');
  unique(['languages', 'offered'], offered, 'language');
  unique(['queues'], queues, 'queue');
  unique(
    ['queues'],
    policy.queues.map((queue) => queue.address),
    'support address',
  );
  policy.queues.forEach((queue, index) => {
    mustName(['queues', index, 'calendar'], queue.calendar, calendars, 'calendar');
  });

  unique(
    ['regions'],
    policy.regions.map((region) => region.name),
    'region',
  );
  policy.regions.forEach((region, index) => {
    mustName(['regions', index, 'calendar'], region.calendar, calendars, 'calendar');
    region.queues?.forEach((queue, q) => {
      mustName(['regions', index, 'queues', q], queue, queues, 'queue');
    });
  });

  unique(['priorities', 'levels'], priorities, 'priority');
  mustName(['priorities', 'default'], policy.priorities.default, priorities, 'priority');
  policy.priorities.levels.forEach((priority, index) => {
    for (const language of Object.keys(priority.keywords)) {
      mustName(['priorities', 'levels', index, 'keywords', language], language, offered, 'offered language');
    }
  });

  checkLabels(['priorities', 'levels'], policy.priorities.levels, offered, report);
  if (policy.plans) {
    unique(['plans', 'levels'], plans, 'plan');
    mustName(['plans', 'default'], policy.plans.default, plans, 'plan');
    checkLabels(['plans', 'levels'], policy.plans.levels, offered, report);
  }

  for (const kind of ['firstResponse', 'resolution'] as const) {
    policy.sla[kind].forEach((rule, index) => {
      const selectors = [
        ['priority', rule.priority, priorities],
        ['plan', rule.plan, plans],
        ['queue', rule.queue, queues],
      ] as const;
      for (const [selector, names = [], valid] of selectors) {
        names.forEach((name, i) => {
          mustName(['sla', kind, index, selector, ...(names.length > 1 ? [i] : [])], name, valid, selector);
        });
      }
    });
  }

  for (const language of Object.keys(policy.conduct.rudeWords))
    mustName(['conduct', 'rudeWords', language], language, offered, 'offered language');
  for (const language of Object.keys(policy.conduct.rules))
    mustName(['conduct', 'rules', language], language, offered, 'offered language');

  for (const [status, names] of Object.entries(policy.statuses)) {
    for (const language of offered) {
      if (!(language in names))
        report(['statuses', status], `no name for status "${status}" in offered language ${language}`);
    }
  }

  for (const [index, level] of (policy.sla.escalation?.levels ?? []).entries()) {
    for (const [contactIndex, contact] of level.contacts.entries()) {
      if (contact.language === undefined) continue;
      const path = ['sla', 'escalation', 'levels', index, 'contacts', contactIndex, 'language'];
      mustName(path, contact.language, offered, 'offered language');
    }
  }
  const { waitingOnCustomer } = policy;
  if (
    waitingOnCustomer.remindAfter !== undefined &&
    waitingOnCustomer.closeAfter !== undefined &&
    waitingOnCustomer.remindAfter >= waitingOnCustomer.closeAfter
  ) {
    report(
      ['waitingOnCustomer', 'remindAfter'],
      'the reminder must come before the auto-close (remindAfter < closeAfter)',
    );
  }
}

/** Labels are in offered languages, and no word names two levels: `#prioridad alta` must mean one priority. */
function checkLabels(
  path: Path,
  levels: readonly { name: string; labels: Readonly<Record<string, string>> }[],
  offered: readonly string[],
  report: (path: Path, message: string) => void,
): void {
  const owner = new Map(levels.map((level) => [level.name.toLowerCase(), level.name]));
  levels.forEach((level, index) => {
    for (const [language, label] of Object.entries(level.labels)) {
      const at = [...path, index, 'labels', language];
      if (!offered.includes(language))
        report(at, `${quoted(language)} is not an offered language; valid offered languages: ${offered.join(', ')}`);
      const word = label
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .trim();
      const taken = owner.get(word);
      if (taken !== undefined && taken !== level.name)
        report(at, `${quoted(label)} already names ${quoted(taken)}: a label must name one level`);
      else owner.set(word, level.name);
    }
  });
}
