/**
 * Scheduler calls per ticket over three lives on the default policy, through the real use cases
 * (ticket-life-rig.ts), by step and by kind (put / move / remove):
 * - typical: new → an agent's answer → the agent sets waiting → the customer replies → resolved
 *   (issue 8's target: at most 6 calls);
 * - unanswered: nobody answers; warning, breach and escalation up to level 3 fire;
 * - auto-closed: answered and set waiting, the customer never writes; reminder, then auto-close.
 * A count, not a timing: test/unit/application/timer-calls.test.ts holds the typical life to it.
 */
import { saveReport } from './bench-report.ts';
import type { TicketLife } from './ticket-life-rig.ts';
import { autoClosedLife, typicalLife, unansweredLife } from './ticket-lives.ts';

const TYPICAL_TARGET = 6;

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
