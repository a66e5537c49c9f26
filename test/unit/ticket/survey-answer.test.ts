import { describe, expect, it } from 'vitest';
import { answerSurvey, SURVEY_COMMENT_MAX_CHARS, surveyComment } from '../../../lib/domain/ticket/survey-answer.ts';
import { aTicket } from '../../support/ticket-fixtures.ts';

const AT = '2026-11-24T15:00:00.000Z';
const none = { text: null, secretsMasked: false } as const;

describe('a survey comment as the ticket keeps it', () => {
  it('removes control, bidirectional and separator characters, and keeps line breaks as LF and tabs', () => {
    expect(surveyComment('ok\x1b[2J\u0007 now\r\nline\rtwo\tcol \u202eevil\u2066x\u2069\u2028y\u0085').text).toBe(
      'ok[2J now\nline\ntwo\tcol evilxy',
    );
  });

  it('drops a lone surrogate and keeps emoji (paired surrogates)', () => {
    expect(surveyComment('a\ud800b 👍🏽').text).toBe('ab 👍🏽');
  });

  it('is nothing when only white space or controls are left', () => {
    expect(surveyComment(' \r\n\t\u0000\u202e ')).toEqual(none);
  });

  it('cuts at 2,000 characters (code points, never half an emoji)', () => {
    const text = surveyComment(`${'a'.repeat(SURVEY_COMMENT_MAX_CHARS - 1)}😀😀😀`).text!;

    expect(Array.from(text)).toHaveLength(SURVEY_COMMENT_MAX_CHARS);
    expect(text.endsWith('a😀')).toBe(true);
  });

  it('masks a secret before cutting, so a card number at the limit leaves no digits in the clear', () => {
    const card = '4111 1111 1111 1111';
    const comment = surveyComment(`${'x '.repeat((SURVEY_COMMENT_MAX_CHARS - 10) / 2)}${card}`);

    expect(comment.secretsMasked).toBe(true);
    expect(comment.text).not.toMatch(/1111/);
    expect(comment.text!.endsWith('4*** ****')).toBe(true);
  });
});

describe('answering the survey on a ticket', () => {
  it('records the first rating with its comment and time', () => {
    const next = answerSurvey(aTicket(1), { rating: 'good', comment: surveyComment('Great'), at: AT });

    expect(next).toMatchObject({ satisfaction: { rating: 'good', comment: 'Great', at: AT }, updatedAt: AT });
  });

  it('changes nothing once rated, unless a first comment comes', () => {
    const rated = aTicket(1, { satisfaction: { rating: 'good', comment: null, at: AT } });

    expect(answerSurvey(rated, { rating: 'bad', comment: none, at: '2026-11-25T00:00:00.000Z' })).toBeNull();
    expect(
      answerSurvey(rated, { rating: 'bad', comment: surveyComment('Later'), at: '2026-11-25T00:00:00.000Z' }),
    ).toMatchObject({ satisfaction: { rating: 'good', comment: 'Later', at: AT } });
    const commented = aTicket(1, { satisfaction: { rating: 'good', comment: 'First', at: AT } });
    expect(answerSurvey(commented, { rating: 'good', comment: surveyComment('Second'), at: AT })).toBeNull();
  });
});
