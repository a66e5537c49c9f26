import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';

/**
 * C0 and C1 controls, DEL, and the line and paragraph separators: what no stored header text may
 * hold (issue 7 §2: "NUL and other control characters are removed from stored headers").
 */
export const HEADER_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** Every text of a ticket and its messages that is, or came from, a header of some mail. */
export async function storedHeaderTexts(store: TicketStore, number: number): Promise<string[]> {
  const ticket = await store.getTicket(number);
  if (ticket === null) return [];
  const texts = [ticket.subject, ticket.requesterName ?? '', ticket.requester, ...ticket.participants];
  for (const message of await store.listMessages(number)) {
    texts.push(message.from, message.subject, ...message.to, ...message.cc, ...message.references);
    texts.push(
      message.messageId ?? '',
      message.inReplyTo ?? '',
      ...message.attachments.map((file) => file.filename ?? ''),
    );
    texts.push(...message.declinedParticipants.map((declined) => declined.address));
  }
  return texts;
}

/** The stored header texts of a ticket that hold a control character (none, when all is well). */
export const headerTextsWithControls = async (store: TicketStore, number: number): Promise<string[]> =>
  (await storedHeaderTexts(store, number)).filter((text) => HEADER_CONTROL.test(text));
