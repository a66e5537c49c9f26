import { describe, expect, it } from 'vitest';
import {
  attachmentLines,
  pickAttachment,
  readTicketAttachment,
  ticketAttachments,
} from '../../../lib/cli/commands/attachment-commands.ts';
import { renderTicket } from '../../../lib/cli/commands/local-stack-commands.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { runCli } from '../../support/run-cli.ts';
import { aMessage } from '../../support/ticket-fixtures.ts';

/** A ticket whose customer sent two different files named log.txt, a program and a screenshot. */
async function ticketWithFiles() {
  const setup = pipeline();
  const number = ticketNumberOf(
    await setup.receive({
      attachments: [
        { filename: 'log.txt', contentType: 'text/plain', content: 'monday' },
        { filename: 'log.txt', contentType: 'text/plain', content: 'tuesday' },
        { filename: 'tool.exe', contentType: 'application/octet-stream', content: 'MZ' },
        { filename: 'screen.png', contentType: 'image/png', content: 'png bytes' },
      ],
    }),
  );
  const messages = await setup.store.listMessages(number);
  return { ...setup, number, messages };
}

const failure = (run: () => unknown): unknown => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('atende attachments get', () => {
  it('reads the file a name picks from the attachment store', async () => {
    const { store, attachments, number } = await ticketWithFiles();

    const { attachment, content } = await readTicketAttachment({ store, attachments }, number, 'screen.png');

    expect(attachment.contentType).toBe('image/png');
    expect(Buffer.from(content).toString()).toBe('png bytes');
  });

  it('refuses an ambiguous name, listing the candidates and how to pick one by hash prefix', async () => {
    const { messages, number } = await ticketWithFiles();

    const error = failure(() => pickAttachment(ticketAttachments(messages), 'log.txt', number));

    expect(isAtendeError(error, 'cli.ambiguousAttachment')).toBe(true);
    const text = (error as Error).message;
    expect(text.split('\n').filter((line) => line.includes('log.txt  '))).toHaveLength(2);
    expect(text).toMatch(new RegExp(`atende attachments get ${number} [0-9a-f]{12}`));
  });

  it('picks one of two same-named files by the SHA-256 prefix the listing shows', async () => {
    const { messages, number } = await ticketWithFiles();
    const files = ticketAttachments(messages);
    const tuesday = files.find((file) => file.attachment.size === 'tuesday'.length)!;

    const picked = pickAttachment(files, tuesday.attachment.sha256!.slice(0, 12), number);

    expect(picked.attachment.key).toBe(tuesday.attachment.key);
  });

  it('fails attachment.notFound for a name the ticket does not have, naming what it has', async () => {
    const { messages, number } = await ticketWithFiles();

    const error = failure(() => pickAttachment(ticketAttachments(messages), 'missing.pdf', number));

    expect(isAtendeError(error, 'attachment.notFound')).toBe(true);
    expect((error as Error).message).toContain('screen.png');
  });

  it('exits 2 for a ticket that is not a number, and for a missing name', async () => {
    expect((await runCli('attachments', 'get', 'abc', 'x.pdf')).exitCode).toBe(2);
    expect((await runCli('attachments', 'get', '1000')).exitCode).toBe(2);
  });
});

describe('atende tickets show', () => {
  it("lists each message's attachments with type, size, hash prefix and what was never forwarded", async () => {
    const { store, number, messages } = await ticketWithFiles();

    const shown = renderTicket((await store.getTicket(number))!, messages);

    expect(shown).toContain('Attachments (4):');
    expect(shown).toMatch(
      / {2}tool\.exe {2}application\/octet-stream {2}2 bytes {2}sha256 [0-9a-f]{12} {2}\[dangerous: never forwarded\]/,
    );
    expect(shown).toMatch(/ {2}screen\.png {2}image\/png {2}9 bytes {2}sha256 [0-9a-f]{12}$/m);
  });

  it('shows a hostile file name on one terminal-safe line', () => {
    const lines = attachmentLines(
      aMessage(1000, 1, {
        attachments: [
          {
            filename: 'x\u001b[2J\u202eexe.pdf',
            contentType: 'application/pdf',
            size: 1,
            key: null,
            sha256: null,
            inline: false,
            withheld: null,
          },
        ],
      }),
    );

    expect(lines.join('\n')).not.toMatch(/[\u001b\u202e]/u);
  });
});
