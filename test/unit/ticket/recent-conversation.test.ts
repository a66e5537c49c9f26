import { describe, expect, it } from 'vitest';
import { RECENT_MESSAGE_TEXT_LIMIT, recentConversation } from '../../../lib/domain/ticket/recent-conversation.ts';
import { aMessage, anOutboundMessage } from '../../support/ticket-fixtures.ts';

describe("a ticket's recent conversation, as an escalation quotes it", () => {
  it("keeps the last three messages of the customer's side, oldest first", () => {
    const messages = [
      aMessage(7, 1, { text: 'first' }),
      anOutboundMessage(7, 2, { text: 'acknowledged' }),
      aMessage(7, 3, { text: 'second' }),
      anOutboundMessage(7, 4, { text: 'relayed answer', purpose: 'agent-reply-relay' }),
      aMessage(7, 5, { text: 'third' }),
    ];

    expect(recentConversation(messages).map((message) => message.text)).toEqual(['second', 'relayed answer', 'third']);
  });

  it('leaves out internal traffic: notices to agents, refused replies, auto-replies, bounces', () => {
    const messages = [
      aMessage(7, 1, { text: 'the customer' }),
      anOutboundMessage(7, 2, { text: 'agents notice', purpose: 'agent-new-ticket' }),
      anOutboundMessage(7, 3, { text: 'sla alert', purpose: 'agent-sla-alert' }),
      anOutboundMessage(7, 4, { text: 'escalation', purpose: 'escalation' }),
      aMessage(7, 5, { text: 'refused', purpose: 'agent-reply-refused' }),
      aMessage(7, 6, { text: 'out of office', purpose: 'auto-reply' }),
      aMessage(7, 7, { text: 'bounce', purpose: 'bounce' }),
      aMessage(7, 8, { text: 'forged staff', purpose: 'unauthenticated-staff' }),
    ];

    expect(recentConversation(messages).map((message) => message.text)).toEqual(['the customer']);
  });

  it('picks by sequence whatever order the messages come in', () => {
    const messages = [5, 1, 4, 2, 3].map((sequence) => aMessage(7, sequence, { text: `m${sequence}` }));

    expect(recentConversation(messages).map((message) => message.text)).toEqual(['m3', 'm4', 'm5']);
  });

  it('cuts a long text to 2,000 characters and says so; a short one is whole', () => {
    const [long, short] = recentConversation([
      aMessage(7, 1, { text: 'x'.repeat(RECENT_MESSAGE_TEXT_LIMIT + 500) }),
      aMessage(7, 2, { text: 'y'.repeat(RECENT_MESSAGE_TEXT_LIMIT) }),
    ]);

    expect(RECENT_MESSAGE_TEXT_LIMIT).toBe(2_000);
    expect(long).toMatchObject({ text: 'x'.repeat(RECENT_MESSAGE_TEXT_LIMIT), cut: true });
    expect(short).toMatchObject({ text: 'y'.repeat(RECENT_MESSAGE_TEXT_LIMIT), cut: false });
  });

  it('never splits an emoji at the cut', () => {
    const [message] = recentConversation([
      aMessage(7, 1, { text: `${'x'.repeat(RECENT_MESSAGE_TEXT_LIMIT - 1)}😀tail` }),
    ]);

    expect(message?.text).toBe('x'.repeat(RECENT_MESSAGE_TEXT_LIMIT - 1));
  });

  it('passes on who wrote, when and in which direction', () => {
    const [message] = recentConversation([anOutboundMessage(7, 1)]);

    expect(message).toEqual({
      direction: 'outbound',
      from: 'servicedesk@support.example',
      at: '2025-03-03T12:00:02.000Z',
      text: 'We received your request.',
      cut: false,
    });
  });
});
