/**
 * Three lives of one ticket on the default policy, through the real use cases (ticket-life-rig.ts):
 * - typical: new → an agent's answer → the agent sets waiting → the customer replies → resolved;
 * - unanswered: nobody answers; warning, breach and escalation up to level 3 fire;
 * - auto-closed: answered and set waiting, the customer never writes; reminder, then auto-close.
 * timer-calls.ts counts their Scheduler calls; aws-cost.ts takes the typical one as a ticket's life.
 */
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { type LifeMail, TicketLife } from './ticket-life-rig.ts';

const policy = await loadPolicyFile();
const HOUR = 3_600_000;
/** A Monday 10:00 in New York: the servicedesk queue's business hours (medium, basic: first response by 14:00). */
const MONDAY_10AM = Date.parse('2026-11-23T10:00:00-05:00');

const CUSTOMER = 'Ana Smith <ana@cliente.example>';
const AGENT = 'Carla Agent <carla@example.com>';

/** A new ticket from the customer at 10:00, and the agents' notice an agent answers. */
async function opened(life: TicketLife): Promise<{ number: number; answerAgents: (text: string) => LifeMail }> {
  const result = await life.receive('new ticket', MONDAY_10AM, {
    from: CUSTOMER,
    subject: 'Reports stopped arriving',
    text: 'Hello,\n\nsince this morning the weekly report is empty. Could you have a look?\n\nThanks,',
  });
  if (!('ticketNumber' in result) || result.ticketNumber === null) throw new Error(`no ticket: ${result.outcome}`);
  const notice = life.sentTo('servicedesk-agents@example.com')[0];
  if (notice === undefined) throw new Error('the agents were not told of the new ticket');
  return {
    number: result.ticketNumber,
    answerAgents: (text) => ({ from: AGENT, subject: `Re: ${notice.subject}`, answering: notice, text }),
  };
}

export async function typicalLife(): Promise<TicketLife> {
  const life = new TicketLife(policy, MONDAY_10AM);
  const { number, answerAgents } = await opened(life);
  await life.receive('agent answers', MONDAY_10AM + HOUR, answerAgents('We are looking into the report now.'), {
    agent: true,
  });
  await life.receive(
    'agent sets waiting',
    MONDAY_10AM + 2 * HOUR,
    answerAgents('#status waiting\nCould you send us a screenshot of the empty report?'),
    { agent: true },
  );
  const relay = life.sentTo('ana@cliente.example').at(-1)!;
  await life.receive('customer replies', MONDAY_10AM + 5 * HOUR, {
    from: CUSTOMER,
    subject: `Re: ${relay.subject}`,
    answering: relay,
    text: 'Here is the screenshot: the report has headers and no rows.',
  });
  await life.setStatus('resolved', MONDAY_10AM + 6 * HOUR, number, 'resolved');
  return life;
}

export async function unansweredLife(): Promise<TicketLife> {
  const life = new TicketLife(policy, MONDAY_10AM);
  const { number } = await opened(life);
  // Level 3 is due Tuesday 01:00 UTC (20:00 in New York); run to the next morning.
  await life.runTimersUntil(MONDAY_10AM + 24 * HOUR);
  const ticket = await life.store.getTicket(number);
  if (ticket?.escalationLevel !== 3) throw new Error(`escalation reached level ${ticket?.escalationLevel}, not 3`);
  return life;
}

export async function autoClosedLife(): Promise<TicketLife> {
  const life = new TicketLife(policy, MONDAY_10AM);
  const { number, answerAgents } = await opened(life);
  await life.receive(
    'agent answers, sets waiting',
    MONDAY_10AM + HOUR,
    answerAgents('#status waiting\nCould you send us a screenshot of the empty report?'),
    { agent: true },
  );
  await life.runTimersUntil(MONDAY_10AM + HOUR + 49 * HOUR);
  const ticket = await life.store.getTicket(number);
  if (ticket?.status !== 'closed') throw new Error(`the waiting ticket is ${ticket?.status}, not closed`);
  return life;
}
