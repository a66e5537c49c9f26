import { describe, expect, it } from 'vitest';
import { type ConductRules, checkConduct, isShouting } from '../../../lib/domain/mail/conduct-check.ts';

const rules: ConductRules = {
  conduct: {
    shouting: 'flag',
    rudeWords: { en: ['idiot', 'useless piece of junk'], es: ['estúpido', 'idiota'], 'pt-BR': ['idiota', 'porcaria'] },
  },
};

describe("checking a message's conduct", () => {
  it('flags a message written in capitals', () => {
    const flags = checkConduct(rules, {
      subject: 'Problem',
      text: 'THE SYSTEM HAS BEEN DOWN SINCE MORNING AND NOBODY ANSWERS MY CALLS!!!',
    });

    expect(flags).toEqual(['shouting']);
  });

  it('does not flag a normal sentence full of acronyms and codes', () => {
    const flags = checkConduct(rules, {
      subject: 'API error',
      text: 'The API returns HTTP 500 (ERR_TIMEOUT) when the SLA report for SKU-4411 runs via the REST URL.',
    });

    expect(flags).toEqual([]);
  });

  it('does not flag a short message in capitals', () => {
    expect(checkConduct(rules, { subject: 'ok', text: 'OK THANKS' })).toEqual([]);
  });

  it('ignores capitals in quoted history and in the signature', () => {
    const text =
      'Thanks, that solved it.\n\n-- \nACME LOGISTICS INTERNATIONAL\nHEAD OFFICE DISPATCH DEPARTMENT\n\n> YOUR SYSTEM IS BROKEN AGAIN AND WE ARE LOSING MONEY';

    expect(checkConduct(rules, { subject: 'Re: Problem', text })).toEqual([]);
  });

  it('flags a subject written in capitals', () => {
    expect(checkConduct(rules, { subject: 'URGENT SYSTEM NOT WORKING AGAIN', text: 'Please call me.' })).toEqual([
      'shouting',
    ]);
  });

  it('does not flag shouting when the policy ignores it', () => {
    const ignoring: ConductRules = { conduct: { ...rules.conduct, shouting: 'ignore' } };

    expect(
      checkConduct(ignoring, { subject: 'x', text: 'THE SYSTEM HAS BEEN DOWN SINCE MORNING AND NOBODY ANSWERS' }),
    ).toEqual([]);
  });

  it('never calls text in a script without capitals shouting', () => {
    expect(isShouting('系统从早上开始就无法使用，请尽快处理，谢谢。系统从早上开始就无法使用。')).toBe(false);
  });

  it.each([
    ['Este sistema es ESTUPIDO', 'accent- and case-insensitive'],
    ['Que porcaria de sistema', 'in Portuguese'],
    ['You are an idiot.', 'in English'],
    ['this useless   piece of\njunk again', 'a phrase across spaces and lines'],
  ])('flags the rude words in "%s" (%s)', (text) => {
    expect(checkConduct(rules, { subject: 'x', text })).toEqual(['rude-words']);
  });

  it.each([['The idiotic timeout again'], [`${'Idiota'.toLowerCase()}s del sistema`], ['Pique is a good town']])(
    'does not flag "%s": only whole words count',
    (text) => {
      expect(checkConduct(rules, { subject: 'x', text })).toEqual([]);
    },
  );

  it('flags rude words in the subject', () => {
    expect(checkConduct(rules, { subject: 'Sistema idiota', text: 'no carga' })).toEqual(['rude-words']);
  });

  it('does not flag rude words the customer only quotes', () => {
    expect(checkConduct(rules, { subject: 'Re: x', text: 'Sorry about my last mail.\n\n> You are an idiot' })).toEqual(
      [],
    );
  });
});
