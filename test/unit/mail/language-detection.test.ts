import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { detectLanguage } from '../../../lib/domain/mail/language-detection.ts';

const Samples = z.object({
  samples: z.array(z.object({ language: z.string(), subject: z.string(), text: z.string() })),
});
const { samples } = Samples.parse(
  JSON.parse(readFileSync(new URL('../../fixtures/mail/language-samples.json', import.meta.url), 'utf8')),
);

const fiveLanguages = { offered: ['en', 'es', 'pt-BR', 'de', 'ru'], fallback: 'en' };
const seedLanguages = { offered: ['en', 'es', 'pt-BR'], fallback: 'en' };

describe('detecting the language of a message', () => {
  it('names the language of the labelled short support messages', () => {
    const wrong = samples
      .map((sample) => ({ ...sample, detected: detectLanguage(sample.text, fiveLanguages) }))
      .filter((sample) => sample.detected !== sample.language)
      .map((sample) => `${sample.language} read as ${sample.detected}: ${sample.text}`);

    console.info(`language detection: ${samples.length - wrong.length} of ${samples.length} labelled messages right`);
    expect(samples).toHaveLength(75);
    expect(wrong).toEqual([]);
  });

  it('reads "Hi, how do I add a new user?" as English (franc took it for Portuguese)', () => {
    expect(detectLanguage('Hi, how do I add a new user?', seedLanguages)).toBe('en');
  });

  it('reads "O sistema não funciona" as Brazilian Portuguese (tinyld took it for Spanish)', () => {
    expect(detectLanguage('O sistema não funciona', seedLanguages)).toBe('pt-BR');
  });

  it('answers in the offered tag for the language: pt-BR, or plain pt where that is offered', () => {
    expect(detectLanguage('Esqueci minha senha e o link não chega.', seedLanguages)).toBe('pt-BR');
    expect(detectLanguage('Esqueci minha senha e o link não chega.', { offered: ['pt', 'en'], fallback: 'en' })).toBe(
      'pt',
    );
  });

  it.each([['Ok'], ['?'], ['12345 6789'], ['https://example.com/a/b/c'], ['']])(
    'falls back when "%s" says too little',
    (text) => {
      expect(detectLanguage(text, { ...seedLanguages, fallback: 'es' })).toBe('es');
    },
  );

  it('falls back for a language that is not offered rather than guessing a neighbour', () => {
    expect(
      detectLanguage('Bonjour, je ne peux pas me connecter depuis ce matin.', { ...seedLanguages, fallback: 'es' }),
    ).toBe('es');
    expect(
      detectLanguage('Ich kann mich seit heute Morgen nicht anmelden.', { ...seedLanguages, fallback: 'es' }),
    ).toBe('es');
  });

  it('tells Spanish from Portuguese by their letters when the text is too short for the model', () => {
    expect(detectLanguage('¿Novedades?', seedLanguages)).toBe('es');
  });

  it("reads the customer's words, not the history they quote", () => {
    const reply =
      'Thanks, that fixed it.\n\n> Olá, o sistema não funciona desde ontem e não consigo acessar o painel.\n> Poderiam verificar?';

    expect(detectLanguage(reply, seedLanguages)).toBe('en');
  });

  it('falls back when no offered language is one it knows', () => {
    expect(detectLanguage('Hello, the reports do not load.', { offered: ['tlh'], fallback: 'tlh' })).toBe('tlh');
  });
});
