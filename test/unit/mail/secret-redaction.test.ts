import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../../lib/domain/mail/card-numbers.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { maskSecrets, maskValue } from '../../../lib/domain/mail/secret-redaction.ts';
import { mailFixture } from './mail-fixtures.ts';

describe('masking secrets', () => {
  it('keeps only the first and last characters of a secret', () => {
    expect(maskValue('sk_live_abc9')).toBe('s**********9');
    expect(maskValue('ab')).toBe('**');
    expect(maskValue('4242 4242 4242 4242', 'card-number')).toBe('4*** **** **** ***2');
  });

  it.each([
    ['a Stripe secret key', 'key: sk_live_51HxKp2EZvKYlo2C8fQm3Vx7', 'sk_live_51HxKp2EZvKYlo2C8fQm3Vx7', 'api-key'],
    ['an AWS access key id', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE', 'api-key'],
    [
      'a GitHub token',
      'use ghp_16C7e42F292c6912E7710c838347Ae178B4a please',
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'token',
    ],
    [
      'a Slack token',
      'xoxb-2431151-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'xoxb-2431151-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'token',
    ],
    [
      'a Bearer token',
      'Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0Zz',
      '9f8e7d6c5b4a39281706f5e4d3c2b1a0Zz',
      'token',
    ],
    [
      'a JWT',
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U expired',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'token',
    ],
    [
      'a JWT after a dash',
      'cookie session-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'token',
    ],
    [
      'a JWT after another dotted word',
      'v2.eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'token',
    ],
    ['a labelled API key', 'api_key = "a8Fk29dLq0Zx71Wp"', 'a8Fk29dLq0Zx71Wp', 'api-key'],
    ['a labelled API key in JSON', '{"api_key" : "a8Fk29dLq0Zx71Wp"}', 'a8Fk29dLq0Zx71Wp', 'api-key'],
    [
      'a labelled AWS secret key',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'api-key',
    ],
    [
      'an unlabelled random key',
      'the key is Zq4xT9mK2pL8wR6vN3bY7cH1dF5gJ0sA and it fails',
      'Zq4xT9mK2pL8wR6vN3bY7cH1dF5gJ0sA',
      'api-key',
    ],
    ['a password written after password', 'my password: Tr0ub4dor&3x', 'Tr0ub4dor&3x', 'password'],
    ['a password written after "password is"', 'the password is hunter22.', 'hunter22', 'password'],
    ['a password written after senha', 'Minha senha: Banana#2024', 'Banana#2024', 'password'],
    ['a password written after "senha é"', 'a senha é gato1234, obrigado', 'gato1234', 'password'],
    ['a password written after contraseña', 'Mi contraseña es Perro!77', 'Perro!77', 'password'],
    ['a password written after clave', 'usuario admin, clave: sol2025', 'sol2025', 'password'],
    ['a password written after Passwort', 'Das Passwort ist Sommer2025', 'Sommer2025', 'password'],
    ['a password written after пароль', 'пароль: Qwerty123', 'Qwerty123', 'password'],
    ['a quoted password made of words', 'password is "correct horse"', 'correct horse', 'password'],
    ['a password without digits after a colon', 'pwd: sunshine', 'sunshine', 'password'],
    ['a Visa number with spaces', 'cartão 4242 4242 4242 4242 validade 12/27', '4242 4242 4242 4242', 'card-number'],
    ['a Mastercard number with dashes', 'card 5555-5555-5555-4444', '5555-5555-5555-4444', 'card-number'],
    ['an Amex number in 4-6-5 groups', 'amex 3782 822463 10005', '3782 822463 10005', 'card-number'],
    ['a card number without separators', 'tarjeta 4111111111111111.', '4111111111111111', 'card-number'],
  ])('masks %s', (_what, text, secret, kind) => {
    const result = maskSecrets(text);

    expect(result.found.map((finding) => finding.kind)).toEqual([kind]);
    expect(result.text).toBe(
      text.replace(secret, maskValue(secret, kind === 'card-number' ? 'card-number' : 'api-key')),
    );
    expect(result.text).not.toContain(secret.slice(1, -1));
  });

  it.each([
    ['ordinary words', 'Please reset the configuration of the reporting dashboard for our organisation.'],
    ['a date and a time', 'It failed on 2025-03-04T10:12:01Z and again on 04/03/2025 at 10:15.'],
    ['phone numbers', 'Call me at +55 11 98765 4321 or (11) 4004-1234 or +1 415 555 2671.'],
    ['a ticket number', 'About [Atende #1042] and ticket #4242424242424242.'],
    ['an order number that fails Luhn', 'Order 4242 4242 4242 4241 was charged twice.'],
    ['a long order number that fails Luhn', 'Pedido 4500123456789013 ainda não chegou.'],
    [
      'a Message-ID in quoted headers',
      '> Message-ID: <CAJx5m9Pq8wF2Rk3sL1vH7tY0uNaB4cD6eF@mail.gmail.com>\n> In-Reply-To: <0100018f1a2b3c4d-aa11bb22-cc33-dd44-ee55-ff6677889900-000000@email.amazonses.com>',
    ],
    ['an e-mail address', 'Write to Zq4xT9mK2pL8wR6vN3bY7cH1dF5gJ0sAx@example.com please.'],
    ['a URL with a long path', 'See https://example.com/docs/Zq4xT9mK2pL8wR6vN3bY7cH1dF5gJ0sA/setup for details.'],
    ['a SHA-256 checksum', 'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['a UUID', 'request id 123e4567-e89b-12d3-a456-426614174000'],
    ['git commit ids', 'Fixed in 9fceb02, merged as 9fceb02d0ae598e95dc970b74767f19372d61af8.'],
    [
      'base64 image data in a URL',
      '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA">',
    ],
    ['a CamelCase identifier', 'The class AbstractSingletonProxyFactoryBeanConfigurer fails.'],
    ['a password complaint', 'My password is incorrect, the password is not accepted and my senha é inválida.'],
    ['a password prompt', 'Password: ******** (hidden)'],
    ['a label at the end of a line', 'Password:\nThanks for your help'],
    ['a hyphenated word', 'The password-protected file will not open.'],
    ['a Spanish keyword label', 'palabra clave: facturación'],
    ['a reset link sentence', 'The password reset link expired.'],
    [
      'a base64 block',
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA\nYDhcUtDzT6AVf4Q0Rk8Yb5tN1xK2wP3mQ9zJ4cL7vB0sH6gF8dR2aE1iU5oZ9lM3nKpTcWq\n',
    ],
    [
      'a quoted DKIM signature',
      '> DKIM-Signature: v=1; a=rsa-sha256; d=example.com;\n>        b=gB/aiAQHsLpiq9JJ9S5L6x9cRWUjHoskP1D5D/k4vjl7xd0asMiI5RnX2sYoHT5NEb',
    ],
    ['a cipher suite name', 'with ESMTPS (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384)'],
    ['a file path', 'exported as /org/freedesktop/Hal/devices/net_00_e0_4c_8d_ab_0f today'],
    ['an encoded word', 'Subject: =?utf-8?B?5byx5ZCm5a6a6Ieq5bex77yM5Yir6K6p5oOr5oeS6K+v5LqG6Z2S5pil44CC?='],
    ['uuencoded data', 'begin 644 notes.txt\nM8]K:PW:2"%TQD$U&:0X[+WGJ-JQ[(`PO._\'/2AJ+PW:2"%TQD\n`\nend'],
  ])('does not mask %s', (_what, text) => {
    const result = maskSecrets(text);

    expect(result.found).toEqual([]);
    expect(result.text).toBe(text);
  });

  it('masks every secret of the API-key fixture and nothing else of it', async () => {
    const mail = await parseInboundMail(mailFixture('api-key-in-body.eml'));

    const result = maskSecrets(mail.text);

    expect(result.found.map((finding) => [finding.kind, finding.masked])).toEqual([
      ['api-key', maskValue('sk_live_51HxKp2EZvKYlo2C8fQm3Vx7LrT9nBq4Wd')],
      ['password', 'T**********x'],
      ['card-number', '4*** **** **** ***2'],
    ]);
    expect(result.text).toContain('Order 4500123456 was placed');
    expect(result.text).toContain('priya@acme-ejemplo.io');
  });

  it('reports where each secret was', () => {
    const text = 'senha: gato1234';

    const [finding] = maskSecrets(text).found;

    expect(finding).toMatchObject({ kind: 'password', detector: 'password-label', index: 7, length: 8 });
  });

  it('checks card numbers with the Luhn checksum', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});

describe('numbers labelled as identifiers', () => {
  it.each([
    'Report domain: yyy.cz Submitter: google.com Report-ID: 2244696771454641389',
    'Order #4539578763621486 shipped',
    'Pedido nº 4539578763621486',
  ])('are not card numbers, however Luhn-valid: %s', (text) => {
    expect(maskSecrets(text).found).toEqual([]);
  });

  it('still masks a card number written after other words', () => {
    expect(maskSecrets('my card is 4539 5787 6362 1486 thanks').found.map((finding) => finding.kind)).toEqual([
      'card-number',
    ]);
  });
});
