import type { ContactSpec } from '../domain/policy/policy-schema.ts';
import { isCustomerOf } from '../domain/ticket/participants.ts';
import { recentConversation } from '../domain/ticket/recent-conversation.ts';
import type { Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import { pausesOf, slaScheduleOf } from '../domain/ticket/ticket-lifecycle.ts';
import type { TicketTimer } from '../domain/ticket/ticket-timers.ts';
import { waitingSince } from '../domain/ticket/ticket-timers.ts';
import { actOnDueTimers } from '../domain/ticket/timer-firing.ts';
import { type ChangeOutcome, changeTicket, type TicketChange } from './change-ticket.ts';
import { heldFollowUpsMail, quotableIn } from './held-follow-ups-mail.ts';
import { conversationThread, type ThreadHeaders } from './notification-mail.ts';
import type { SlaAlertView, WaitingView } from './ports/notification-renderer.ts';
import type { SupportActivity } from './ports/support-activity.ts';
import type { TimerFiring } from './ports/timer-scheduler.ts';
import type { MailToSend, TicketEvent, TicketKernelDeps } from './ticket-event.ts';
import { TimerNotices } from './timer-notices.ts';

export type TimerFiringOutcome =
  /** Timers acted (their keys, in order); mail may have been sent. */
  | { readonly outcome: 'acted'; readonly ticketNumber: number; readonly acted: readonly string[] }
  /** Nothing to do: the ticket no longer needs the timer (stale), or the firing was seen before. */
  | { readonly outcome: 'stale' | 'duplicate' | 'ticket-gone'; readonly ticketNumber: number };

/** A firing is known by its schedule and the instant it was planned for: a repeated delivery is the same event. */
export const timerEventKey = (firing: TimerFiring): string => `timer:${firing.schedule}@${firing.dueAt}`;

/**
 * A ticket's timer fired (EventBridge Scheduler, the local timer loop). Through the kernel like any
 * other change: the timers due act (actOnDueTimers), what they owe is sent, and the ticket's next
 * timer is planned. At least once and possibly stale: a firing whose timer the ticket no longer
 * needs acts on nothing, a repeated one finds its receipt, and each timer acts once (its key is in
 * the ticket's log), so firing the same timer twice sends one mail.
 */
export async function fireTimer(deps: TicketKernelDeps, firing: TimerFiring): Promise<TimerFiringOutcome> {
  const ticketNumber = firing.ticketNumber;
  const ticket = await deps.store.getTicket(ticketNumber);
  if (ticket === null) return { outcome: 'ticket-gone', ticketNumber };
  // Delivered before: the kernel finds the event's receipt and settles what it still owes.
  const event: TicketEvent = { key: timerEventKey(firing), now: deps.clock.now(), rawKey: null };
  const messages = await deps.store.listMessages(ticketNumber);
  const notifications = new TimerNotices(deps.policy, deps.renderer);

  const outcome: ChangeOutcome<readonly string[]> = await changeTicket(deps, event, ticket, (current) =>
    timersChange(deps, notifications, current, messages, { schedule: firing.schedule, now: event.now }),
  );
  if (outcome.outcome === 'changed' && outcome.result.length > 0)
    return { outcome: 'acted', ticketNumber, acted: outcome.result };
  if (outcome.outcome === 'duplicate') return { outcome: 'duplicate', ticketNumber };
  return { outcome: 'stale', ticketNumber };
}

function timersChange(
  deps: TicketKernelDeps,
  notifications: TimerNotices,
  ticket: Ticket,
  messages: readonly TicketMessage[],
  firing: { readonly schedule: string; readonly now: number },
): TicketChange<readonly string[]> | null {
  const acting = actOnDueTimers(deps.policy, deps.sla, ticket, { ...firing, quotable: quotableIn(messages) });
  if (acting === null) return null;
  const thread = conversationThread(messages);
  const activity: SupportActivity[] = [];
  const mail = acting.acted.flatMap(({ timer }) => {
    if (timer.kind === 'follow-ups')
      return heldFollowUpsMail(deps.policy, notifications, acting.next, thread, messages, acting.releasedFollowUps);
    const owed = timerMail(
      deps,
      notifications,
      { before: ticket, after: acting.next },
      timer,
      thread,
      messages,
      firing.now,
    );
    // A level whose every contact is the customer's own acts without mail: nobody was escalated to.
    if (timer.kind === 'escalation' && owed.length > 0)
      activity.push({ kind: 'escalation-sent', ticketNumber: ticket.number, level: timer.level });
    return owed;
  });
  return { next: acting.next, message: null, mail, activity, result: acting.acted.map(({ entry }) => entry.key) };
}

/** What one acting timer sends, built from the ticket as it stands after the firing. */
function timerMail(
  deps: TicketKernelDeps,
  notifications: TimerNotices,
  ticket: { readonly before: Ticket; readonly after: Ticket },
  timer: Exclude<TicketTimer, { kind: 'follow-ups' }>,
  thread: ThreadHeaders,
  messages: readonly TicketMessage[],
  now: number,
): MailToSend[] {
  const { policy } = deps;
  const system = (purpose: MailToSend['purpose'], mail: MailToSend['mail']): MailToSend => ({
    purpose,
    author: 'system',
    mail,
  });
  switch (timer.kind) {
    case 'warning':
      return [
        system(
          'agent-sla-alert',
          notifications.slaAlert(ticket.after, thread, slaAlert(deps, ticket.after, timer, now)),
        ),
      ];
    case 'breach':
      // Where the target escalates, its first level (at breach) is the mail; otherwise the agents hear of it.
      if (policy.sla.escalation?.targets.includes(timer.target) ?? false) return [];
      return [
        system(
          'agent-sla-alert',
          notifications.slaAlert(ticket.after, thread, slaAlert(deps, ticket.after, timer, now)),
        ),
      ];
    case 'escalation': {
      // A contact the customer named (Cc'd, or wrote from) is left out: the mail quotes internal facts. The level
      // still acts for the others; refusing the whole firing would fail it again at every redelivery.
      const contacts: readonly ContactSpec[] = (policy.sla.escalation?.levels[timer.level - 1]?.contacts ?? []).filter(
        (contact) => !isCustomerOf(ticket.after, contact.address),
      );
      if (contacts.length === 0) return [];
      return notifications
        .escalation(
          ticket.after,
          thread,
          slaAlert(deps, ticket.after, timer, now),
          contacts,
          recentConversation(messages),
        )
        .map((mail) => system('escalation', mail));
    }
    case 'reminder':
      return [
        system(
          'waiting-reminder',
          notifications.waitingReminder(ticket.after, thread, waitingView(deps, ticket.before)),
        ),
      ];
    case 'auto-close': {
      const survey = policy.survey.onAutoClose ? deps.surveyLinks.linksFor(ticket.after) : null;
      return [
        system(
          'auto-close-notice',
          notifications.autoCloseNotice(ticket.after, thread, waitingView(deps, ticket.before, ticket.after), survey),
        ),
      ];
    }
  }
}

/** Where the target's clock stood when its timer acted. */
function slaAlert(
  deps: TicketKernelDeps,
  ticket: Ticket,
  timer: Extract<TicketTimer, { target: 'firstResponse' | 'resolution' }>,
  now: number,
): SlaAlertView {
  const schedule = slaScheduleOf(ticket, deps.sla);
  const deadline = schedule[timer.target];
  const calendar = deps.sla.calendarFor(ticket.queue, ticket.region ?? undefined);
  const elapsed = calendar.businessTimeBetween(schedule.clockStartsAt, now, deps.sla.countedPauses(pausesOf(ticket)));
  const dueAt = deadline?.due ?? timer.at;
  return {
    target: timer.target,
    stage: timer.kind,
    level: timer.kind === 'escalation' ? timer.level : null,
    targetText: deadline?.target ?? '',
    dueAt: new Date(dueAt).toISOString(),
    elapsedBusinessMinutes: Math.floor(elapsed / 60_000),
    // A target such as "end of business day" is rarely whole minutes from when the clock started.
    budgetBusinessMinutes: Math.round(deadline?.businessMinutes ?? 0),
    at: new Date(now).toISOString(),
  };
}

/** The wait a reminder or an auto-close is about: since when, when it closes, and until when a reply reopens. */
function waitingView(deps: TicketKernelDeps, waiting: Ticket, closed: Ticket | null = null): WaitingView {
  const since = waitingSince(waiting) ?? waiting.updatedAt;
  const { closeAfter } = deps.policy.waitingOnCustomer;
  const closesAt = closeAfter === undefined ? null : new Date(Date.parse(since) + closeAfter * 60_000).toISOString();
  const reopenUntil =
    closed?.closedAt == null
      ? null
      : new Date(Date.parse(closed.closedAt) + deps.policy.reopen.within * 60_000).toISOString();
  return { since, closesAt, reopenUntil };
}
