import { describe, expect, it } from 'vitest';
import {
  isForwardedMessageLine,
  stripQuotedReply,
  textAboveQuotedHistory,
} from '../../../lib/domain/mail/quoted-reply.ts';

/** The size of the body text parseInboundMail keeps (DEFAULT_MAIL_LIMITS.maxTextChars). */
const BODY_CHARS = 200_000;
/** Whole copies of `unit` up to the body size. */
const filled = (unit: string): string => unit.repeat(Math.floor(BODY_CHARS / unit.length));

const timed = <T>(act: () => T): { result: T; ms: number } => {
  const started = performance.now();
  const result = act();
  return { result, ms: performance.now() - started };
};

describe('quoted history in hostile text', () => {
  // Each quoted line used to copy and re-read every line after it: 8 s for this body.
  it('reads 200 KB of interleaved quoted and unquoted lines in linear time', () => {
    const { result, ms } = timed(() => stripQuotedReply(filled('> a\nb\n')));

    expect(result.split('\n').every((line) => line === 'b' || line === '')).toBe(true);
    expect(ms).toBeLessThan(2000);
  });

  // Each bottom-posted cut recursed on a fresh copy of the rest: the heap ran out (4 GB).
  it('cuts 200 KB of blank-separated attributions without recursing once per attribution', () => {
    const { result, ms } = timed(() => stripQuotedReply(filled('On 1/2/2012 Ana wrote:\n\n')));

    expect(result).toBe('');
    expect(ms).toBeLessThan(2000);
  });

  it('reads 200 KB of lines that end like attributions but introduce nothing in linear time', () => {
    const { result, ms } = timed(() => stripQuotedReply(filled('Ana wrote\nb\n')));

    expect(result.startsWith('Ana wrote\nb\nAna wrote')).toBe(true);
    expect(ms).toBeLessThan(2000);
  });

  it('still finds a bottom-posted answer under several quoted replies', () => {
    const text = 'On 1/2/2012 Ana wrote:\n> a\n\nOn 1/2/2012 Ana wrote:\n> b\n\nOn 1/2/2012 Ana wrote:\n> c\n\nHello';

    expect(stripQuotedReply(text)).toBe('Hello');
  });
});

describe('the text above the quoted history', () => {
  it('keeps only what is above the history, never what is below it', () => {
    const text = 'Works now.\n\nOn Mon, 3 Mar 2025, Support <servicedesk@example.com> wrote:\n\n> Hi\n\nInternal line';

    expect(textAboveQuotedHistory(text)).toBe('Works now.');
  });

  it('is empty when the history comes first (bottom-posting is not looked for)', () => {
    const text =
      'From: Support <servicedesk@example.com>\nSent: Monday, March 3, 2025 10:12 AM\nTo: agents@example.com\nSubject: New ticket (critical): [Atende #1042] Printer';

    expect(textAboveQuotedHistory(text)).toBe('');
    expect(stripQuotedReply(text)).not.toBe('');
  });

  it('drops interleaved quoted lines and keeps text without history as it is', () => {
    expect(textAboveQuotedHistory('> Which browser?\nFirefox 128.\n> Which account?\nacme-main')).toBe(
      'Firefox 128.\nacme-main',
    );
    expect(textAboveQuotedHistory('Hello,\n\nthe reports load again.')).toBe('Hello,\n\nthe reports load again.');
  });

  it('tells a forwarded-message line in each language it knows', () => {
    expect(isForwardedMessageLine('---------- Forwarded message ---------')).toBe(true);
    expect(isForwardedMessageLine('---------- Mensaje reenviado ----------')).toBe(true);
    expect(isForwardedMessageLine('-------- Mensagem encaminhada --------')).toBe(true);
    expect(isForwardedMessageLine('-----Original Message-----')).toBe(false);
    expect(isForwardedMessageLine('I forwarded the message to you.')).toBe(false);
  });
});
