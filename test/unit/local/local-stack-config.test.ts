import { describe, expect, it } from 'vitest';
import { localStackConfig } from '../../../lib/adapters/local/local-stack-config.ts';
import { AtendeError } from '../../../lib/domain/atende-error.ts';

const failure = (run: () => unknown): AtendeError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AtendeError) return error;
    throw error;
  }
  throw new Error('expected an AtendeError');
};

describe('ATENDE_SMTP_USERS', () => {
  it('gives no SMTP AUTH users when it is not set or empty', () => {
    expect(localStackConfig({}).smtpUsers.size).toBe(0);
    expect(localStackConfig({ ATENDE_SMTP_USERS: '' }).smtpUsers.size).toBe(0);
  });

  it('reads address:secret pairs separated by commas, addresses lower-cased', () => {
    const { smtpUsers } = localStackConfig({ ATENDE_SMTP_USERS: 'Alice@Example.com:secret, bob@example.com:other' });

    expect([...smtpUsers]).toEqual([
      ['alice@example.com', 'secret'],
      ['bob@example.com', 'other'],
    ]);
  });

  it('keeps a colon inside a secret (split at the first colon: an address holds none)', () => {
    const { smtpUsers } = localStackConfig({ ATENDE_SMTP_USERS: 'alice@example.com:a:b::c' });

    expect(smtpUsers.get('alice@example.com')).toBe('a:b::c');
  });

  it.each([
    ['an entry without a colon', 'alice@example.com'],
    ['an empty entry (trailing comma)', 'alice@example.com:secret,'],
    ['an address that is not one', 'alice:secret'],
    ['an empty secret', 'alice@example.com:'],
    ['an address listed twice', 'alice@example.com:one,ALICE@example.com:two'],
  ])('refuses %s with config.invalidVariable naming the variable', (_, value) => {
    const error = failure(() => localStackConfig({ ATENDE_SMTP_USERS: value }));

    expect(error.code).toBe('config.invalidVariable');
    expect(error.details).toMatchObject({ variable: 'ATENDE_SMTP_USERS' });
  });

  it('never repeats a secret in its error, even one written before its address (the message reaches logs)', () => {
    const error = failure(() =>
      localStackConfig({ ATENDE_SMTP_USERS: 'alice@example.com:hunter2-secret,other-secret:bob@example.com' }),
    );

    expect(error.code).toBe('config.invalidVariable');
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toMatch(/hunter2-secret|other-secret/);
  });
});
