import { describe, expect, it } from 'vitest';
import { terminalLine, terminalText } from '../../../lib/cli/terminal-text.ts';

/** Every character a terminal may act on, or that reorders or hides text, that the outputs must never print as is. */
const RAW_CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u206f]/u;

describe('a value printed on one line', () => {
  it('shows ESC and BEL as escapes, so an OSC sequence cannot retitle the window', () => {
    expect(terminalLine('Hi\x1b]0;pwned\x07 there')).toBe('Hi\\x1b]0;pwned\\x07 there');
  });

  it('shows a screen-clearing CSI as text, in its 7-bit and 8-bit (C1) forms', () => {
    expect(terminalLine('\x1b[2J\x1b[HInvoice')).toBe('\\x1b[2J\\x1b[HInvoice');
    expect(terminalLine('\u009b2JInvoice')).toBe('\\x9b2JInvoice');
  });

  it('escapes NUL, DEL and the other C0 and C1 controls', () => {
    expect(terminalLine('a\x00b\x7fc\x08d\x85e')).toBe('a\\x00b\\x7fc\\x08d\\x85e');
  });

  it('escapes a carriage return, which would let the rest overwrite the line', () => {
    expect(terminalLine('refund approved\rrefund denied')).toBe('refund approved\\rrefund denied');
  });

  it('escapes a line feed, so a subject cannot forge a second row of a table', () => {
    expect(terminalLine('Help\n#9999  closed')).toBe('Help\\n#9999  closed');
  });

  it.each([
    ['right-to-left override', '\u202e', '\\u202e'],
    ['left-to-right embedding', '\u202a', '\\u202a'],
    ['pop directional formatting', '\u202c', '\\u202c'],
    ['first strong isolate', '\u2068', '\\u2068'],
    ['pop directional isolate', '\u2069', '\\u2069'],
    ['right-to-left mark', '\u200f', '\\u200f'],
    ['arabic letter mark', '\u061c', '\\u061c'],
    ['line separator', '\u2028', '\\u2028'],
    ['interlinear annotation anchor', '\ufff9', '\\ufff9'],
  ])('escapes the %s', (_, character, shown) => {
    expect(terminalLine(`invoice${character}fdp.exe`)).toBe(`invoice${shown}fdp.exe`);
  });

  it('turns a tab into a space', () => {
    expect(terminalLine('a\tb')).toBe('a b');
  });

  it('escapes a lone surrogate, which is not text', () => {
    expect(terminalLine('a\ud800b')).toBe('a\\ud800b');
  });

  it('keeps accents, other scripts and emoji, zero-width joiners included', () => {
    const text = 'Olá, não consigo · Ошибка · مرحبا · 👩‍💻 · 🇧🇷 · می‌خواهم';

    expect(terminalLine(text)).toBe(text);
  });
});

describe('a text printed as lines', () => {
  it('keeps line breaks, turning CRLF into LF', () => {
    expect(terminalText('Hello,\r\n\r\nit broke.\nThanks')).toBe('Hello,\n\nit broke.\nThanks');
  });

  it('escapes a lone carriage return inside a line', () => {
    expect(terminalText('ok\rPWNED\r\nnext')).toBe('ok\\rPWNED\nnext');
  });

  it('expands tabs to the next tab stop', () => {
    expect(terminalText('id\tname\n12345\tAna')).toBe('id      name\n12345   Ana');
  });

  it('escapes ESC, BEL and bidi controls between its lines', () => {
    expect(terminalText('line one\x1b[1A\x1b[2K\nline \u202etwo\x07')).toBe(
      'line one\\x1b[1A\\x1b[2K\nline \\u202etwo\\x07',
    );
  });

  it('gives back an ordinary text unchanged', () => {
    const text = 'Bom dia,\n\na fatura veio errada.\n— João';

    expect(terminalText(text)).toBe(text);
  });

  it('handles 1 MB of controls in linear time (hostile input, generous budget)', () => {
    const hostile = '\x1b[31m\u202e\t\r'.repeat(100_000);

    const started = performance.now();
    const shown = terminalText(hostile);
    const line = terminalLine(hostile);
    const elapsed = performance.now() - started;

    expect(shown).not.toMatch(RAW_CONTROL);
    expect(line).not.toMatch(RAW_CONTROL);
    expect(elapsed).toBeLessThan(2_000);
  });
});
