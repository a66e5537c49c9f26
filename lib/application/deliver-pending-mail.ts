import { isAtendeError } from '../domain/atende-error.ts';
import type { TicketMessage } from '../domain/ticket/ticket.ts';
import type { Mailer } from './ports/mailer.ts';
import type { PendingMail, TicketStore } from './ports/ticket-store.ts';

export interface PendingMailDelivery {
  readonly store: TicketStore;
  readonly mailer: Mailer;
}

/**
 * Sends mail a receipt holds, in order, then records each sent mail on its ticket with the
 * Message-ID the recipient sees (so replies to it thread) and marks the receipt complete, in
 * one transaction. If a send fails, what was sent is recorded and the rest stays pending on
 * the receipt for the retry; the error is rethrown so the event is delivered again.
 * Returns the purposes of the mail sent.
 */
export async function deliverPendingMail(
  deps: PendingMailDelivery,
  work: { ticketNumber: number; receiptKey: string | null; pending: readonly PendingMail[]; decidedAt: string },
): Promise<string[]> {
  if (work.pending.length === 0) return [];
  const sent: TicketMessage[] = [];
  const purposes: string[] = [];
  for (const [index, pending] of work.pending.entries()) {
    try {
      const { messageId } = await deps.mailer.send(pending.mail);
      // The decision's time, not the send's: a resumed delivery rebuilds the same message keys, so a repeat is recognised.
      sent.push(outboundMessage(pending, messageId, work.decidedAt));
      purposes.push(pending.purpose);
    } catch (error) {
      await record(deps, work, sent, work.pending.slice(index));
      throw error;
    }
  }
  await record(deps, work, sent, []);
  return purposes;
}

async function record(
  deps: PendingMailDelivery,
  work: { ticketNumber: number; receiptKey: string | null },
  messages: TicketMessage[],
  remainingMail: readonly PendingMail[],
): Promise<void> {
  if (messages.length === 0 && remainingMail.length > 0) return;
  try {
    await deps.store.recordSentMail({
      ticketNumber: work.ticketNumber,
      messages,
      receiptKey: work.receiptKey,
      remainingMail: [...remainingMail],
    });
  } catch (error) {
    // A resumed delivery that finds its messages already recorded has nothing left to record.
    if (!isAtendeError(error, 'store.duplicateMessage')) throw error;
  }
}

function outboundMessage(pending: PendingMail, messageId: string, at: string): TicketMessage {
  const { mail } = pending;
  return {
    ticketNumber: pending.ticketNumber,
    sequence: pending.sequence,
    at,
    direction: 'outbound',
    author: pending.author,
    from: mail.from.address,
    to: mail.to.map((address) => address.address),
    cc: (mail.cc ?? []).map((address) => address.address),
    subject: mail.subject,
    text: mail.text,
    messageId,
    inReplyTo: mail.inReplyTo ?? null,
    references: [...(mail.references ?? [])],
    rawKey: null,
    attachments: [],
  };
}
