import type {
  CommandHelpView,
  NotificationContext,
  NotificationKind,
  SlaAlertView,
} from '../../../lib/application/ports/notification-renderer.ts';
import { commandNamesIn } from '../../../lib/domain/ticket/agent-command-words.ts';
import type { CommandProblem } from '../../../lib/domain/ticket/agent-commands.ts';
import { agentNoticeWords, replyMarkerLine } from '../../../lib/domain/ticket/agent-notice-markers.ts';

/** A ticket as the acknowledgement of a fresh e-mail sees it. */
export const baseContext: NotificationContext = {
  brand: { name: 'Atende Support', tag: 'Atende' },
  ticket: {
    number: 1042,
    subject: 'Printer offline since Monday',
    taggedSubject: '[Atende #1042] Printer offline since Monday',
    status: 'new',
    statusLabel: 'Received',
    queue: 'servicedesk',
    queueAddress: 'servicedesk@example.com',
    priority: 'critical',
    plan: 'premium',
    requester: 'ana.souza@cliente.example',
    requesterName: 'Ana Souza',
    channel: 'email',
    assignee: null,
  },
  sla: {
    // 14:00 UTC is 09:00 in Toronto (EST, UTC-5) on 24 November 2026.
    firstResponseDue: '2026-11-24T14:00:00.000Z',
    resolutionDue: '2026-11-24T21:00:00.000Z',
    timeZone: 'America/Toronto',
  },
  priority: {
    name: 'critical',
    description: 'Affects operations, e.g. the software cannot communicate or cannot be reached.',
    responseStrategy: 'Call the customer at once to review the problem and agree the resolution time and procedure.',
  },
  flags: ['shouting', 'secrets-masked'],
  message: {
    from: 'ana.souza@cliente.example',
    fromName: 'Ana Souza',
    text: 'Hello,\n\nthe printer in room 4 is offline since Monday.\nCould you call me?\n\nAna',
    at: '2026-11-24T13:00:00.000Z',
  },
};

/** The first response of the sample ticket, 3 of its 4 business hours gone: a warning at 75%. */
export const sampleAlert: SlaAlertView = {
  target: 'firstResponse',
  stage: 'warning',
  level: null,
  targetText: '4h',
  dueAt: '2026-11-24T14:00:00.000Z',
  elapsedBusinessMinutes: 180,
  budgetBusinessMinutes: 240,
  at: '2026-11-24T13:00:00.000Z',
};

/** A message's files as the agents' notification shows them: one attached, two left out. */
export const sampleAttachments: NonNullable<NotificationContext['attachments']> = {
  attached: [{ filename: 'printer-error.png', contentType: 'image/png', size: 245_000 }],
  withheld: [
    { filename: 'driver-setup.exe', contentType: 'application/x-msdownload', size: 2_400_000, reason: 'dangerous' },
    { filename: 'scan <all pages>.pdf', contentType: 'application/pdf', size: 14_500_000, reason: 'too-large' },
  ],
};

/** The survey links a policy with surveys hands the requester's kinds. */
export const sampleSurvey = {
  good: 'https://support.example.com/survey/1042/good?sig=abc',
  bad: 'https://support.example.com/survey/1042/bad?sig=abc',
};

/** The commands an agent may use under the default policy, named in `locale`. */
export const sampleCommandHelp = (locale: string): CommandHelpView => ({
  names: commandNamesIn(locale),
  statuses: ['open', 'in-progress', 'waiting-on-customer', 'resolved', 'closed'],
  priorities: ['critical', 'high', 'medium'],
  plans: ['basic', 'regular', 'premium'],
});

/** A mail whose commands were not all understood: a typo, a wrong value and a note below the text. */
export const sampleProblems: readonly CommandProblem[] = [
  { kind: 'unknown-command', line: 1, command: '#stauts', value: null, suggestion: '#status', valid: [], other: null },
  {
    kind: 'unknown-value',
    line: 2,
    command: '#priority',
    value: 'hihg',
    suggestion: 'high',
    valid: ['critical', 'high', 'medium'],
    other: null,
  },
  { kind: 'after-text', line: 5, command: '#note call her', value: null, suggestion: null, valid: [], other: null },
];

/** The reply marker and banner NotificationMail sets on every kind to agents, in `locale`. */
export const agentNoticeFor = (locale: string, answerable = true): NonNullable<NotificationContext['agentNotice']> => {
  const words = agentNoticeWords(locale);
  return { replyMarker: answerable ? replyMarkerLine(words) : null, banner: words.banner };
};

/** The context each kind is rendered with in `locale`: what a use case would pass for it. */
export const sampleContext = (kind: NotificationKind, locale = 'en'): NotificationContext => {
  switch (kind) {
    case 'acknowledgement':
      return {
        ...baseContext,
        maskedSecrets: ['password'],
        conductRules: ['One ticket per issue.'],
        duplicateOf: null,
      };
    case 'agent-new-ticket':
    case 'agent-customer-reply':
      return {
        ...baseContext,
        agentNotice: agentNoticeFor(locale),
        declinedParticipants: [
          { address: 'eve@elsewhere.example', reason: 'limit' },
          { address: 'servicedesk@example.com', reason: 'own-address' },
        ],
        attachments: sampleAttachments,
      };
    case 'agent-attachments-withheld':
      return {
        ...baseContext,
        agentNotice: agentNoticeFor(locale),
        attachments: sampleAttachments,
        attachmentsWithheld: { at: '2026-11-24T14:10:00.000Z' },
      };
    case 'agent-relay-refused':
      return {
        ...baseContext,
        agentNotice: agentNoticeFor(locale),
        relayRefusal: {
          reason: 'internal-notice',
          at: '2026-11-24T14:10:00.000Z',
          problems: [],
          commands: sampleCommandHelp(locale),
        },
      };
    case 'agent-unauthenticated-staff':
      return {
        ...baseContext,
        agentNotice: agentNoticeFor(locale, false),
        unauthenticatedStaff: {
          from: 'joao@example.com',
          fromName: 'João Lima',
          at: '2026-11-24T14:10:00.000Z',
          verdicts: { spf: 'FAIL', dkim: 'FAIL', dmarc: null },
        },
      };
    case 'agent-reply-relay':
      return {
        ...baseContext,
        ticket: { ...baseContext.ticket, status: 'in-progress', statusLabel: 'In progress' },
        message: {
          from: 'joao@example.com',
          fromName: 'João Lima',
          text: 'Hi Ana,\n\nwe restarted the print server; it should be back.\n\nJoão',
          at: '2026-11-24T14:30:00.000Z',
        },
      };
    case 'suspended-notice':
      return {
        ...baseContext,
        suspensionNotice: 'Support is suspended for accounts that break the fair-support rules.',
      };
    case 'agent-sla-alert':
      return { ...baseContext, agentNotice: agentNoticeFor(locale), slaAlert: sampleAlert };
    case 'escalation':
      return {
        ...baseContext,
        agentNotice: agentNoticeFor(locale),
        slaAlert: {
          ...sampleAlert,
          stage: 'escalation',
          level: 2,
          elapsedBusinessMinutes: 375,
          at: '2026-11-24T16:15:00.000Z',
        },
        escalationContacts: [
          { name: 'Marta Ruiz', role: 'Service Manager', address: 'service-manager@example.com' },
          { name: 'Olaf Berg', role: 'Fulfillment Manager', address: 'fulfillment-manager@example.com' },
        ],
        recentMessages: [
          {
            direction: 'inbound',
            from: 'ana.souza@cliente.example',
            at: '2026-11-24T13:00:00.000Z',
            text: 'Hello,\n\nthe printer in room 4 is offline since Monday.\nCould you call me?\n\nAna',
            cut: false,
          },
          {
            direction: 'outbound',
            from: 'servicedesk@example.com',
            at: '2026-11-24T13:00:05.000Z',
            text: 'Thank you for contacting Atende Support. We have received your message.',
            cut: false,
          },
          {
            direction: 'inbound',
            from: 'ana.souza@cliente.example',
            at: '2026-11-24T15:40:00.000Z',
            text: 'Any news? The whole floor cannot print.',
            cut: true,
          },
        ],
      };
    case 'waiting-reminder':
      return {
        ...baseContext,
        ticket: { ...baseContext.ticket, status: 'waiting-on-customer', statusLabel: 'Waiting for your reply' },
        waiting: { since: '2026-11-24T14:30:00.000Z', closesAt: '2026-11-26T14:30:00.000Z', reopenUntil: null },
      };
    case 'auto-close-notice':
      return {
        ...baseContext,
        ticket: { ...baseContext.ticket, status: 'closed', statusLabel: 'Closed' },
        waiting: {
          since: '2026-11-24T14:30:00.000Z',
          closesAt: null,
          reopenUntil: '2026-12-03T14:30:00.000Z',
        },
        survey: sampleSurvey,
      };
    case 'agent-held-follow-ups':
      return {
        ...baseContext,
        ticket: { ...baseContext.ticket, status: 'resolved', statusLabel: 'Resolved' },
        agentNotice: agentNoticeFor(locale),
        heldFollowUps: {
          quoted: [
            {
              sequence: 3,
              author: 'requester',
              from: 'ana.souza@cliente.example',
              at: '2026-11-24T13:10:00.000Z',
              text: 'Any news? The whole floor cannot print.',
              cut: false,
            },
            {
              sequence: 4,
              author: 'participant',
              from: 'rui@cliente.example',
              at: '2026-11-24T13:25:00.000Z',
              text: 'The printer in room 5 stopped too.',
              cut: true,
            },
          ],
          notQuoted: 2,
        },
      };
    case 'agent-commands-applied':
      return {
        ...baseContext,
        ticket: {
          ...baseContext.ticket,
          status: 'waiting-on-customer',
          statusLabel: 'Waiting for your reply',
          assignee: 'joao@example.com',
        },
        agentNotice: agentNoticeFor(locale),
        commandsApplied: {
          changes: [
            { field: 'status', from: 'Under review', to: 'Waiting for your reply', changed: true },
            { field: 'priority', from: 'critical', to: 'critical', changed: false },
            { field: 'assignee', from: null, to: 'joao@example.com', changed: true },
          ],
          resolutionSent: false,
          at: '2026-11-24T14:10:00.000Z',
        },
      };
    case 'agent-internal-note':
      return {
        ...baseContext,
        agentNotice: agentNoticeFor(locale, false),
        message: {
          from: 'joao@example.com',
          fromName: 'João Lima',
          text: 'Do not promise a callback: the technician is off until Thursday.',
          at: '2026-11-24T14:10:00.000Z',
        },
      };
    case 'resolution-summary':
      return {
        ...baseContext,
        ticket: { ...baseContext.ticket, status: 'resolved', statusLabel: 'Resolved' },
        resolution: {
          openedAt: '2026-11-24T13:00:00.000Z',
          resolvedAt: '2026-11-24T16:45:00.000Z',
          note: 'We replaced the network card of the printer.\nIt prints again.',
        },
        survey: sampleSurvey,
      };
  }
};
