import { describe, expect, it } from 'vitest';
import { findTicketTag, normalizeSubject, tagSubject } from '../../../lib/domain/mail/subject.ts';

describe('normalising a subject', () => {
  it.each([
    ['Re: Printer offline', 'printer offline'],
    ['RE: RE: Fwd: Printer offline', 'printer offline'],
    ['re:Printer offline', 'printer offline'],
    ['Re[2]: Printer offline', 'printer offline'],
    ['Re(3): Printer offline', 'printer offline'],
    ['Re^2: Printer offline', 'printer offline'],
    ['FW: Fw: fwd: Printer offline', 'printer offline'],
    ['RES: ENC: Impressora sem conexão', 'impressora sem conexão'],
    ['RV: Re: Impresora sin conexión', 'impresora sin conexión'],
    ['AW: WG: Antw: Drucker offline', 'drucker offline'],
    ['SV: VS: Skrivare', 'skrivare'],
    ['R: R: R: I: Stampante', 'stampante'],
    ['TR : RE : Imprimante', 'imprimante'],
    ['Re： 打印机', '打印机'],
    ['Ｒｅ：Printer offline', 'printer offline'],
    ['  Re:   Printer \t  offline  ', 'printer offline'],
    ['[EXTERNAL] Re: Printer offline', 'printer offline'],
    ['Re: [Atende #1042] Printer offline', 'printer offline'],
    ['[atende#1042] RE: Printer offline', 'printer offline'],
  ])('turns "%s" into "%s"', (subject, expected) => {
    expect(normalizeSubject(subject, 'Atende')).toBe(expected);
  });

  it.each([
    ['Regarding the invoice', 'regarding the invoice'],
    ['Reset my password', 'reset my password'],
    ['I need help', 'i need help'],
    ['Fwding rules: how?', 'fwding rules: how?'],
    ['Error: 500 on login', 'error: 500 on login'],
    ['', ''],
  ])('leaves "%s" alone but for case and spacing', (subject, expected) => {
    expect(normalizeSubject(subject, 'Atende')).toBe(expected);
  });

  it("keeps another brand's tag: only our own is ours to strip", () => {
    expect(normalizeSubject('Re: [Zendesk #12] Printer', 'Atende')).toBe('[zendesk #12] printer');
  });
});

describe('the ticket tag', () => {
  it.each([
    ['[Atende #1042] Printer offline', 1042],
    ['Re: [Atende #1042] Printer offline', 1042],
    ['RE: Printer offline [ATENDE # 1042]', 1042],
    ['[ atende#7 ]', 7],
    ['[Atende #12] merged into [Atende #13]', 12],
  ])('finds the ticket number in "%s"', (subject, number) => {
    expect(findTicketTag(subject, 'Atende')).toBe(number);
  });

  it.each([['Printer offline #1042'], ['[Atende] #1042'], ['[Atende #] x'], ['[Other #1042] x'], ['[Atende #0]']])(
    'finds no ticket number in "%s"',
    (subject) => {
      expect(findTicketTag(subject, 'Atende')).toBeNull();
    },
  );

  it('finds a tag whose brand has spaces and dots', () => {
    expect(findTicketTag('Re: [Hosting  Co.BR #88] Site fora do ar', 'Hosting Co.BR')).toBe(88);
    expect(findTicketTag('Re: [HostingXCo.BR #88]', 'Hosting Co.BR')).toBeNull();
  });

  it('adds the tag in front of a subject', () => {
    expect(tagSubject('Printer offline', 'Atende', 1042)).toBe('[Atende #1042] Printer offline');
  });

  it('never adds the tag twice', () => {
    const once = tagSubject('Re: Printer offline', 'Atende', 1042);

    expect(tagSubject(once, 'Atende', 1042)).toBe(once);
    expect(tagSubject('RE: [atende #1042] Printer offline', 'Atende', 1042)).toBe('RE: [atende #1042] Printer offline');
  });

  it('replaces a tag for another ticket of ours', () => {
    expect(tagSubject('Re: [Atende #12] Printer offline', 'Atende', 13)).toBe('[Atende #13] Re: Printer offline');
  });

  it('tags an empty subject and keeps a subject to one line', () => {
    expect(tagSubject('', 'Atende', 5)).toBe('[Atende #5]');
    expect(tagSubject('Printer\r\nBcc: victim@example.org', 'Atende', 5)).toBe(
      '[Atende #5] Printer Bcc: victim@example.org',
    );
  });
});
