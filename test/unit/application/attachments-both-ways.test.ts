import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

const AGENTS = 'servicedesk-agents@example.com';
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
const screenshot = Buffer.from('\x89PNG\r\n\x1a\n a screenshot of the error dialog');

describe("a customer's attachments", () => {
  it('are stored under the ticket and attached to the agents notification of a new ticket', async () => {
    const setup = pipeline();
    const number = ticketNumberOf(
      await setup.receive({
        subject: 'Error dialog',
        attachments: [{ filename: 'error.png', contentType: 'image/png', content: screenshot }],
      }),
    );

    const key = `tickets/${number}/attachments/${sha256(screenshot)}/error.png`;
    expect((await setup.attachments.get(key)).content).toEqual(new Uint8Array(screenshot));
    const [message] = await setup.store.listMessages(number);
    expect(message!.attachments).toEqual([
      {
        filename: 'error.png',
        contentType: 'image/png',
        size: screenshot.length,
        key,
        sha256: sha256(screenshot),
        inline: false,
        withheld: null,
      },
    ]);
    const notice = setup.sentTo(AGENTS)[0]!;
    expect(notice.files.map((file) => [file.filename, Buffer.from(file.content).toString()])).toEqual([
      ['error.png', screenshot.toString()],
    ]);
    expect(notice.text).toContain('error.png (image/png');
  });

  it('never forwards a dangerous file and tells the agents why it is missing', async () => {
    const setup = pipeline();
    const number = ticketNumberOf(
      await setup.receive({
        attachments: [
          { filename: 'invoice.pdf.exe', contentType: 'application/pdf', content: 'MZ not really a program' },
          { filename: 'macro.docm', contentType: 'application/octet-stream', content: 'PK a macro document' },
        ],
      }),
    );

    const notice = setup.sentTo(AGENTS)[0]!;
    expect(notice.files).toEqual([]);
    expect(notice.text).toMatch(/invoice\.pdf\.exe .*a type that can run code/);
    expect(notice.text).toMatch(/macro\.docm .*a type that can run code/);
    const [message] = await setup.store.listMessages(number);
    expect(message!.attachments.map((file) => file.withheld)).toEqual(['dangerous', 'dangerous']);
    // Kept all the same, for an agent to fetch deliberately.
    expect(setup.attachments.keys()).toHaveLength(2);
  });

  it('attaches files up to the policy limit in total and lists the rest as too large', async () => {
    const setup = pipeline();
    const big = Buffer.alloc(6_000_000, 1);
    const bigger = Buffer.alloc(6_000_000, 2);
    await setup.receive({
      attachments: [
        { filename: 'first.bin', content: big },
        { filename: 'second.bin', content: bigger },
        { filename: 'small.txt', contentType: 'text/plain', content: 'log line' },
      ],
    });

    const notice = setup.sentTo(AGENTS)[0]!;
    expect(notice.files.map((file) => file.filename)).toEqual(['first.bin', 'small.txt']);
    expect(notice.text).toMatch(/second\.bin .*over the attachment limit/);
  });

  it('stores a follow-up’s files once though its event is delivered again', async () => {
    const setup = pipeline();
    const number = ticketNumberOf(await setup.receive({ subject: 'Printer offline' }));
    const followUp = {
      subject: `Re: [Atende #${number}] Printer offline`,
      attachments: [{ filename: 'log.txt', contentType: 'text/plain', content: 'paper jam at 10:02' }],
    };
    await setup.receive(followUp, { key: 'ses-follow-up' });
    const notices = setup.sentTo(AGENTS).length;

    const again = await setup.receive(followUp, { key: 'ses-follow-up' });

    expect(again.outcome).toBe('duplicate');
    expect(setup.sentTo(AGENTS)).toHaveLength(notices);
    expect([...setup.attachments.puts.values()]).toEqual([1]);
  });
});

describe('storing attachments before the mail that carries them', () => {
  it('keeps the notification owed while its file cannot be stored, and sends it with the file once it can', async () => {
    let failing = true;
    const setup = pipeline('default.yaml', {
      attachmentsAround: (store) => ({
        put: async (key, file) => {
          if (failing) throw new AtendeError('store.unavailable', 'S3 answered 503');
          return store.put(key, file);
        },
        get: (key) => store.get(key),
      }),
    });
    const mail = { attachments: [{ filename: 'error.png', contentType: 'image/png', content: screenshot }] };

    await expect(setup.receive(mail, { key: 'ses-1' })).rejects.toMatchObject({ code: 'store.unavailable' });
    expect(setup.sentTo(AGENTS)).toEqual([]);
    // The acknowledgement carries no file: it does not wait for one.
    expect(setup.sentTo('ana@customer.example')).toHaveLength(1);
    const receipt = await setup.store.getReceipt('ses-1');
    expect(receipt!.owed.map((effect) => effect.kind).sort()).toEqual(['attachments', 'mail']);

    failing = false;
    setup.clock.advance(3 * 60_000);
    await setup.receive(mail, { key: 'ses-1' });

    expect(setup.sentTo(AGENTS)[0]!.files.map((file) => file.filename)).toEqual(['error.png']);
    expect((await setup.store.getReceipt('ses-1'))!.owed).toEqual([]);
  });
});

describe("an agent's attachments", () => {
  async function answered(attachments: { filename: string; contentType?: string; content: string }[]) {
    const setup = pipeline();
    const number = ticketNumberOf(await setup.receive({ subject: 'Dashboard down' }));
    const notice = setup.sentTo(AGENTS)[0]!;
    setup.mailer.sent.length = 0;
    const result = await setup.receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: 'Here is the fixed configuration.',
        attachments,
      },
      { verdicts: AUTHENTICATED },
    );
    return { ...setup, number, result };
  }

  it('go to the customer with the relayed reply', async () => {
    const { mailer, result } = await answered([
      { filename: 'config.yaml', contentType: 'text/yaml', content: 'retries: 3' },
    ]);

    expect(result).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay'] });
    const relay = mailer.sent.find((mail) => mail.to.some((to) => to.address === 'ana@customer.example'))!;
    expect(relay.files.map((file) => file.filename)).toEqual(['config.yaml']);
  });

  it('are withheld from the customer when dangerous, and the agent alone is told', async () => {
    const { mailer, result, store, number } = await answered([
      { filename: 'fix.ps1', contentType: 'text/plain', content: 'Remove-Item C:\\' },
      { filename: 'notes.txt', contentType: 'text/plain', content: 'see above' },
    ]);

    expect(result).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay', 'agent-attachments-withheld'] });
    const relay = mailer.sent.find((mail) => mail.to.some((to) => to.address === 'ana@customer.example'))!;
    expect(relay.files.map((file) => file.filename)).toEqual(['notes.txt']);
    const told = mailer.sent.find((mail) => mail.to.some((to) => to.address === 'carla@example.com'))!;
    expect(told.to.map((to) => to.address)).toEqual(['carla@example.com']);
    expect(told.cc ?? []).toEqual([]);
    expect(told.text).toMatch(/fix\.ps1 .*a type that can run code/);
    const agentMessage = (await store.listMessages(number)).find((message) => message.purpose === 'agent-reply')!;
    expect(agentMessage.attachments.map((file) => file.withheld)).toEqual(['dangerous', null]);
  });
});
