import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AttachmentStore } from '../../application/ports/attachment-store.ts';
import type { TicketStore } from '../../application/ports/ticket-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { safeAttachmentName } from '../../domain/attachments/attachment-keys.ts';
import { isDangerousAttachment } from '../../domain/attachments/dangerous-attachments.ts';
import type { MessageAttachment, TicketMessage } from '../../domain/ticket/ticket.ts';
import type { CliContext } from '../cli-context.ts';
import { withLocalStack } from '../local-stack-session.ts';
import { terminalLine } from '../terminal-text.ts';

/** How much of a SHA-256 the listings show, and the least a NAME given as a hash prefix must have. */
const SHA_PREFIX = 12;
const MIN_SHA_PREFIX = 6;

/** One stored file of a ticket, with the message it came with. */
export interface TicketAttachment {
  readonly sequence: number;
  readonly attachment: MessageAttachment & { readonly key: string };
}

/**
 * `atende attachments get TICKET NAME [--out FILE]`: writes one of a ticket's stored files out,
 * to FILE or to its safe name in the current folder (never over an existing file unless --out
 * names it). NAME is the file name as `tickets show` lists it, or a SHA-256 prefix (at least 6
 * hex digits) to pick one of several files of that name. Exit 0; 1 when the ticket or file is
 * not there or NAME is ambiguous (the candidates are listed); 2 for usage errors.
 */
export function registerAttachmentCommands(program: Command, context: CliContext): void {
  program
    .command('attachments')
    .description("a ticket's stored files (customers' and agents' attachments)")
    .command('get')
    .description('write one attachment of a ticket out')
    .argument('<ticket>', 'ticket number')
    .argument('<name>', 'the file name as `tickets show` lists it, or a SHA-256 prefix')
    .option('--out <file>', 'where to write it (default: its name, in the current folder)')
    .action(async (ticketText: string, name: string, options: { out?: string }) => {
      const number = Number(ticketText);
      if (!Number.isInteger(number) || number <= 0)
        throw new AtendeError('cli.invalidArgument', `"${ticketText}" is not a ticket number`);
      const written = await withLocalStack(async (dependencies) => {
        const { attachment, content } = await readTicketAttachment(dependencies, number, name);
        const path = resolve(options.out ?? safeAttachmentName(attachment.filename));
        // Without --out the name came from a stranger's mail: never let it replace a file that is there.
        await writeFile(path, content, { flag: options.out === undefined ? 'wx' : 'w' });
        return { path, attachment };
      });
      context.io.out(
        terminalLine(`wrote ${written.path} (${written.attachment.contentType}, ${written.attachment.size} bytes)`),
      );
    });
}

/** The ticket's stored files, oldest message first. */
export const ticketAttachments = (messages: readonly TicketMessage[]): TicketAttachment[] =>
  messages.flatMap((message) =>
    message.attachments.flatMap((attachment) =>
      attachment.key === null
        ? []
        : [{ sequence: message.sequence, attachment: { ...attachment, key: attachment.key } }],
    ),
  );

/**
 * The one file NAME picks: by name (as given, or as its safe name), else by SHA-256 prefix.
 * Several files of one name with the same content are one file. Fails `attachment.notFound`
 * naming the files there are, or `cli.ambiguousAttachment` listing the candidates.
 */
export function pickAttachment(files: readonly TicketAttachment[], name: string, ticket: number): TicketAttachment {
  const byName = files.filter(
    (file) => file.attachment.filename === name || safeAttachmentName(file.attachment.filename) === name,
  );
  const prefix = name.toLowerCase();
  const byHash =
    byName.length === 0 && /^[0-9a-f]+$/.test(prefix) && prefix.length >= MIN_SHA_PREFIX
      ? files.filter((file) => file.attachment.sha256?.startsWith(prefix))
      : [];
  const candidates = [...new Map([...byName, ...byHash].map((file) => [file.attachment.key, file])).values()];
  const distinct = new Set(candidates.map((file) => file.attachment.sha256 ?? file.attachment.key));
  if (candidates.length > 0 && distinct.size === 1) return candidates[0]!;
  if (candidates.length === 0) {
    const there = files.map((file) => displayName(file.attachment)).join(', ') || 'none';
    throw new AtendeError(
      'attachment.notFound',
      `ticket ${ticket} has no attachment ${JSON.stringify(name)} (it has: ${there})`,
      {
        details: { ticket, name },
      },
    );
  }
  const lines = candidates.map(
    (file) =>
      `  ${(file.attachment.sha256 ?? '?').slice(0, SHA_PREFIX)}  ${displayName(file.attachment)}  ${file.attachment.size} bytes  (message ${file.sequence})`,
  );
  throw new AtendeError(
    'cli.ambiguousAttachment',
    [
      `ticket ${ticket} has ${candidates.length} different files named ${JSON.stringify(name)}:`,
      ...lines,
      `pick one by its SHA-256 prefix: atende attachments get ${ticket} ${(candidates[0]!.attachment.sha256 ?? '').slice(0, SHA_PREFIX)}`,
    ].join('\n'),
    { details: { ticket, name, candidates: candidates.map((file) => file.attachment.sha256) } },
  );
}

/** The file NAME picks on ticket `number`, with its bytes from the attachment store. */
export async function readTicketAttachment(
  deps: { readonly store: TicketStore; readonly attachments: AttachmentStore },
  number: number,
  name: string,
): Promise<{ attachment: TicketAttachment['attachment']; content: Uint8Array }> {
  const ticket = await deps.store.getTicket(number);
  if (!ticket) throw new AtendeError('store.ticketNotFound', `ticket ${number} does not exist`);
  const { attachment } = pickAttachment(ticketAttachments(await deps.store.listMessages(number)), name, number);
  return { attachment, content: (await deps.attachments.get(attachment.key)).content };
}

const displayName = (attachment: MessageAttachment): string =>
  terminalLine(attachment.filename ?? safeAttachmentName(null));

/** A message's files as `tickets show` lists them: name, type, size, hash prefix, and what was withheld. */
export function attachmentLines(message: TicketMessage): string[] {
  if (message.attachments.length === 0) return [];
  return [
    `Attachments (${message.attachments.length}):`,
    ...message.attachments.map((attachment) => {
      const notes = [
        ...(isDangerousAttachment(attachment) ? ['dangerous: never forwarded'] : []),
        ...(attachment.withheld === 'too-large' ? ['withheld: over the forward limit'] : []),
        ...(attachment.key === null ? ['not stored (in the raw mail only)'] : []),
      ];
      const hash = attachment.sha256 === null ? '-' : attachment.sha256.slice(0, SHA_PREFIX);
      return `  ${displayName(attachment)}  ${terminalLine(attachment.contentType)}  ${attachment.size} bytes  sha256 ${hash}${notes.length > 0 ? `  [${notes.join('; ')}]` : ''}`;
    }),
  ];
}

/** A message as `tickets show --json` prints it: each attachment also says whether it is dangerous. */
export const messageJson = (message: TicketMessage) => ({
  ...message,
  attachments: message.attachments.map((attachment) => ({
    ...attachment,
    dangerous: isDangerousAttachment(attachment),
  })),
});
