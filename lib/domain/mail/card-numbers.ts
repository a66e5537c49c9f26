import { type Candidate, inside, matches, type Span } from './secret-candidates.ts';

/** Card numbers: 13–19 digits in card grouping, Luhn-valid, in an issuer range, and not labelled as an identifier. */

/** Continuous digits, or groups of 4 (Visa, Mastercard …) or 4-6-5 / 4-6-4 (Amex, Diners), separated by a space or dash. */
const CARD =
  /(?<![\p{L}\p{N}+(#/.@_-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\p{L}\p{N}@_]|[-./]\d)/gu;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    let digit = Number(digits[digits.length - 1 - position]);
    if (position % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A number its writer labels as an identifier is one, however Luhn-valid (one number in ten is):
 * `Report-ID: 2244696771454641389` (a DMARC report's subject), `Order #4539…`, `Pedido nº …`.
 * Read over the few characters before the number only.
 */
const IDENTIFIER_LABEL =
  /(?:\b(?:id|report-id|order|invoice|ref|reference|tracking|ticket|case|pedido|fatura|factura|protocolo|nota|n[º°o])\.?\s*(?:number|no\.?|n[º°o]\.?|#)?\s*[:#=]?\s*)$/i;
const LABEL_LOOKBEHIND_CHARS = 40;

export function* cardNumbers(text: string, excluded: readonly Span[]): Generator<Candidate> {
  for (const { index, value } of matches(text, CARD)) {
    if (IDENTIFIER_LABEL.test(text.slice(Math.max(0, index - LABEL_LOOKBEHIND_CHARS), index))) continue;
    const digits = value.replace(/\D/g, '');
    // Issuer ranges start with 2–6 (Mastercard 2-series, Amex 3, Visa 4, Mastercard 5, Discover 6).
    if (
      digits.length < 13 ||
      digits.length > 19 ||
      !/^[2-6]/.test(digits) ||
      !luhnValid(digits) ||
      /^(\d)\1+$/.test(digits)
    )
      continue;
    if (inside(excluded, index, value.length)) continue;
    yield { kind: 'card-number', detector: 'luhn', index, length: value.length, priority: 2 };
  }
}
