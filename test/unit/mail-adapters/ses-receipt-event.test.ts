import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inboundEmailFromSes, SesReceiptEvent } from '../../../lib/adapters/aws-events/ses-receipt-event.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/events/ses/receipt-lambda-action.json', import.meta.url), 'utf8'),
) as { Records: [{ ses: { mail: { headers: { name: string; value: string }[] } } }] };

const withHeaders = (headers: { name: string; value: string }[]) => {
  const event = structuredClone(fixture);
  event.Records[0].ses.mail.headers = [...headers, ...event.Records[0].ses.mail.headers];
  return SesReceiptEvent.parse(event).Records[0]!;
};

describe('an SES receipt event as an inbound mail', () => {
  it("says whose DKIM signature passed, from SES's own Authentication-Results", () => {
    const record = withHeaders([
      {
        name: 'Authentication-Results',
        value:
          'amazonses.com; spf=pass; dkim=pass header.i=@customer.example; dmarc=pass header.from=customer.example;',
      },
    ]);

    expect(inboundEmailFromSes(record).verdicts).toMatchObject({
      dkim: 'PASS',
      dmarc: 'PASS',
      dkimDomains: ['customer.example'],
    });
  });

  it('names no domain when the topmost Authentication-Results is not SES’s, or there is none', () => {
    const forged = withHeaders([
      { name: 'Authentication-Results', value: 'mx.attacker.example; dkim=pass header.d=example.com' },
    ]);

    expect(inboundEmailFromSes(forged).verdicts?.dkimDomains).toEqual([]);
    expect(inboundEmailFromSes(SesReceiptEvent.parse(fixture).Records[0]!).verdicts?.dkimDomains).toEqual([]);
  });
});
