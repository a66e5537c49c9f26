import { describe, expect, it } from 'vitest';
import {
  buildRawMail,
  CORPUS_BLOCK,
  type PlannedKind,
  type PlannedMail,
  planCorpus,
} from '../../../bench/ingest-mail-generator.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { findTicketTag, normalizeSubject } from '../../../lib/domain/mail/subject.ts';

const MIN_PARENT_DISTANCE = 16;
const corpus = (count: number, seed = 7) => planCorpus({ count, seed, minParentDistance: MIN_PARENT_DISTANCE });
const countsOf = (plan: readonly PlannedMail[]) => {
  const counts: Partial<Record<PlannedKind, number>> = {};
  for (const mail of plan) counts[mail.kind] = (counts[mail.kind] ?? 0) + 1;
  return counts;
};
/** What a mail client answering our acknowledgement of a ticket would quote. */
const acknowledgementOf = (ticket: PlannedMail) => ({
  messageId: `<ack-${ticket.position}@example.com>`,
  subject: `[Atende #${ticket.position + 1}] ${ticket.subject}`,
});

describe('the issue-12 corpus', () => {
  it('is the same plan and the same bytes for the same seed, and another order for another seed', () => {
    const first = corpus(200);
    const again = corpus(200);

    expect(again).toEqual(first);
    expect(again.map((mail) => buildRawMail(mail, null))).toEqual(first.map((mail) => buildRawMail(mail, null)));
    expect(corpus(200, 8).map((mail) => mail.kind)).not.toEqual(first.map((mail) => mail.kind));
  });

  it.each([
    [200, { new: 150, reply: 27, 'follow-up': 13, 'auto-reply': 10 }],
    [2_000, { new: 1_500, reply: 270, 'follow-up': 130, 'auto-reply': 100 }],
  ])('holds the exact mix at %i mails', (count, mix) => {
    for (const seed of [1, 7, 20_261_204]) expect(countsOf(corpus(count, seed))).toEqual(mix);
    expect(CORPUS_BLOCK).toEqual({ new: 150, reply: 27, 'follow-up': 13, 'auto-reply': 10 });
  });

  it('opens tickets in English, Spanish and Portuguese, each from a sender of its own', () => {
    const opened = corpus(2_000).filter((mail) => mail.kind === 'new');

    expect(new Set(opened.map((mail) => mail.language))).toEqual(new Set(['en', 'es', 'pt']));
    expect(new Set(opened.map((mail) => mail.sender.address)).size).toBe(opened.length);
  });

  it("answers only tickets opened far enough back, from the ticket's sender, each at most once per kind", () => {
    const plan = corpus(2_000);
    const answers = plan.filter((mail) => mail.parent !== null);

    expect(answers).toHaveLength(500);
    for (const answer of answers) {
      const ticket = plan[answer.parent!]!;
      expect(ticket.kind).toBe('new');
      expect(answer.position - ticket.position).toBeGreaterThanOrEqual(MIN_PARENT_DISTANCE);
      expect(answer.sender).toEqual(ticket.sender);
    }
    for (const kind of ['reply', 'follow-up', 'auto-reply'] as const) {
      const parents = answers.filter((mail) => mail.kind === kind).map((mail) => mail.parent);
      expect(new Set(parents).size).toBe(parents.length);
    }
  });

  it('writes a reply to the acknowledgement with our tag and In-Reply-To, and an out-of-office answer marked automatic', async () => {
    const plan = corpus(200);
    const reply = plan.find((mail) => mail.kind === 'reply')!;
    const outOfOffice = plan.find((mail) => mail.kind === 'auto-reply')!;
    const replyAck = acknowledgementOf(plan[reply.parent!]!);

    const replied = await parseInboundMail(buildRawMail(reply, replyAck));
    const automatic = await parseInboundMail(buildRawMail(outOfOffice, acknowledgementOf(plan[outOfOffice.parent!]!)));

    expect(findTicketTag(replied.subject, 'Atende')).toBe(reply.parent! + 1);
    expect(replied.inReplyTo).toBe(replyAck.messageId);
    expect(automatic.headers.get('auto-submitted')).toEqual(['auto-replied']);
    expect(findTicketTag(automatic.subject, 'Atende')).toBe(outOfOffice.parent! + 1);
  });

  it('writes a follow-up with neither tag nor In-Reply-To, on the subject of its ticket', async () => {
    const plan = corpus(200);
    const followUps = plan.filter((mail) => mail.kind === 'follow-up');

    for (const followUp of followUps) {
      const parsed = await parseInboundMail(buildRawMail(followUp, null));
      expect(parsed.inReplyTo).toBeNull();
      expect(parsed.references).toEqual([]);
      expect(findTicketTag(parsed.subject, 'Atende')).toBeNull();
      expect(parsed.subject).not.toBe(plan[followUp.parent!]!.subject);
      expect(normalizeSubject(parsed.subject)).toBe(normalizeSubject(plan[followUp.parent!]!.subject));
    }
  });

  it('refuses a size that is not a whole number of 200-mail blocks', () => {
    expect(() => corpus(250)).toThrow(RangeError);
    expect(() => corpus(0)).toThrow(RangeError);
  });
});
