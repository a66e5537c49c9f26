import type { AttachmentSelection } from '../domain/attachments/attachment-forwarding.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import type { AgentReplyNotices } from './agent-reply-notices.ts';
import type { ThreadHeaders } from './notification-mail.ts';
import type { MailToSend } from './ticket-event.ts';

/**
 * The notice to an agent whose relayed reply left files out (dangerous, over the limit): to that
 * agent alone, threaded under their mail; nothing when every file went.
 */
export const withheldFromRelay = (
  notifications: AgentReplyNotices,
  ticket: Ticket,
  files: AttachmentSelection,
  request: { readonly agent: string; readonly agentName: string | null; readonly reply: ThreadHeaders },
  at: string,
): MailToSend[] =>
  files.withheld.length === 0
    ? []
    : [
        {
          purpose: 'agent-attachments-withheld',
          author: 'system',
          mail: notifications.agentAttachmentsWithheld(ticket, request.reply, {
            agent: { address: request.agent, name: request.agentName },
            attachments: files,
            at,
          }),
        },
      ];
