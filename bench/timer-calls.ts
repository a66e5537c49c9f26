/**
 * Scheduler calls per ticket over three lives on the default policy, through the real use cases
 * (ticket-life-rig.ts), by step and by kind (put / move / remove):
 * - typical: new → an agent's answer → the agent sets waiting → the customer replies → resolved
 *   (issue 8's target: at most 6 calls);
 * - unanswered: nobody answers; warning, breach and escalation up to level 3 fire;
 * - auto-closed: answered and set waiting, the customer never writes; reminder, then auto-close.
 * A count, not a timing: test/unit/application/timer-calls.test.ts holds the typical life to it.
 */
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { saveReport } from './bench-report.ts';
import { type LifeMail, TicketLife } from './ticket-life-rig.ts';

const policy = await loadPolicyFile();
const HOUR = 3_600_000;
/** A Monday 10:00 in New York: the servicedesk queue's business hours (medium, basic: first response by 14:00). */
const MONDAY_10AM = Date.parse('2026-11-23T10:00:00-05:00');
const TYPICAL_TARGET = 6;

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

async function typicalLife(): Promise<TicketLife> {
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

async function unansweredLife(): Promise<TicketLife> {
  const life = new TicketLife(policy, MONDAY_10AM);
  const { number } = await opened(life);
  // Level 3 is due Tuesday 01:00 UTC (20:00 in New York); run to the next morning.
  await life.runTimersUntil(MONDAY_10AM + 24 * HOUR);
  const ticket = await life.store.getTicket(number);
  if (ticket?.escalationLevel !== 3) throw new Error(`escalation reached level ${ticket?.escalationLevel}, not 3`);
  return life;
}

async function autoClosedLife(): Promise<TicketLife> {
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

/** Each step's calls on one line ("1 move", "none"), the totals by kind, and what stays scheduled. */
const figures = (life: TicketLife) => ({
  steps: Object.fromEntries(
    life.steps.map((step) => {
      const calls = (['put', 'move', 'remove'] as const).filter((kind) => step[kind] > 0);
      return [step.step, calls.map((kind) => `${step[kind]} ${kind}`).join(', ') || 'none'];
    }),
  ),
  total: life.total(),
  // A ticket that ended holds nothing; an open one holds its next timer.
  stillScheduled: life.timers
    .pending()
    .map(({ firing }) => `${firing.target ?? 'waiting'} ${firing.kind} ${firing.dueAt}`),
});

const typical = await typicalLife();
saveReport('timer-calls', {
  policy: 'policy/default.yaml',
  adapter: 'RecordingTimers (one call each = one Scheduler API request with the EventBridge adapter)',
  'typical life (new, answered, waiting, customer reply, resolved)': {
    ...figures(typical),
    target: `≤ ${TYPICAL_TARGET}`,
    withinTarget: typical.total().total <= TYPICAL_TARGET,
  },
  'unanswered until escalation level 3': figures(await unansweredLife()),
  'waiting until auto-closed': figures(await autoClosedLife()),
});
