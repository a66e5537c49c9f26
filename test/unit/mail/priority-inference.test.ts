import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferPriority } from '../../../lib/domain/mail/priority-inference.ts';
import { parsePolicy } from '../../../lib/domain/policy/parse-policy.ts';

// The default policy: critical, high, medium (the default), with en/es/pt-BR keywords.
const policy = parsePolicy(readFileSync(new URL('../../../policy/default.yaml', import.meta.url), 'utf8'));

describe('inferring the priority of a message', () => {
  it.each([
    ['O sistema não funciona', 'pt-BR', 'critical'],
    ['O sistema nao funciona', 'pt-BR', 'critical'],
    ['El servidor está CAÍDO', 'es', 'critical'],
    ['Our platform is down since 9:00', 'en', 'critical'],
    ['Preciso da segunda via da fatura', 'pt-BR', 'high'],
    ['How do I add a user?', 'en', 'medium'],
  ])('gives "%s" (%s) the priority %s', (text, language, priority) => {
    expect(inferPriority(policy, { subject: 'Ajuda', text, language })).toBe(priority);
  });

  it('weighs the subject more than the text', () => {
    const priority = inferPriority(policy, {
      subject: 'Fatura de março',
      text: 'Não é urgente, mas a fatura veio errada.',
      language: 'pt-BR',
    });

    expect(priority).toBe('high');
  });

  it('picks the more severe priority on a tie', () => {
    const priority = inferPriority(policy, { subject: 'Factura', text: 'Es urgente', language: 'es' });

    expect(priority).toBe('high');
    expect(inferPriority(policy, { subject: 'x', text: 'Factura urgente', language: 'es' })).toBe('critical');
  });

  it('matches whole words only', () => {
    expect(
      inferPriority(policy, { subject: 'Download', text: 'The alerts page shows a countdown', language: 'en' }),
    ).toBe('medium');
  });

  it("uses the keywords of the message's language, or all of them when the language is unknown", () => {
    expect(inferPriority(policy, { subject: 'x', text: 'Invoice', language: 'es' })).toBe('medium');
    expect(inferPriority(policy, { subject: 'x', text: 'Invoice', language: null })).toBe('high');
    expect(inferPriority(policy, { subject: 'x', text: 'Invoice', language: 'de' })).toBe('high');
  });

  it('gives the policy default when no keyword matches', () => {
    expect(inferPriority(policy, { subject: 'Hello', text: 'A question about reports.' })).toBe('medium');
  });
});
