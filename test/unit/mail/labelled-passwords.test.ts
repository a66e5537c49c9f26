import { describe, expect, it } from 'vitest';
import { maskSecrets, maskValue } from '../../../lib/domain/mail/secret-redaction.ts';

describe('a password on the line after its label', () => {
  it.each([
    ['indented, in English', 'Username: ana\nPassword:\n  hunter2', 'hunter2'],
    ['in Spanish', 'Usuario: juan\nContraseña:\nPerro!77', 'Perro!77'],
    ['in Portuguese', 'Usuário: joao\nSenha:\n  gato1234', 'gato1234'],
    ['in quoted history', '> Password:\n> Tr0ub4dor&3', 'Tr0ub4dor&3'],
    ['quoted, with a space', 'Password:\n"correct horse"', 'correct horse'],
    ['with a full stop after it', 'My new password =\nSommer2025.', 'Sommer2025'],
  ])('masks it %s', (_, text, secret) => {
    const result = maskSecrets(text);

    expect(result.found.map((finding) => [finding.kind, finding.detector])).toEqual([
      ['password', 'password-next-line'],
    ]);
    expect(result.text).toBe(text.replace(secret, maskValue(secret)));
  });

  it.each([
    ['prose', 'Password:\nThanks for your help'],
    ['a word of prose', 'I forgot my password:\nhelp!'],
    ['Spanish prose', 'No recuerdo la contraseña:\nGracias.'],
    ['Portuguese prose', 'Esqueci a senha:\nobrigado'],
    ['a blank line', 'Password:\n\nThanks'],
    ['a variable', `Password:\n\${PASSWORD}`],
    ['a placeholder in brackets', 'Password:\n<password>'],
    ['stars', 'Password:\n****'],
    ['crosses', 'Password:\nxxx'],
    ['a redaction mark', 'Password:\n[redacted]'],
    ['an address', 'Password:\nana@example.com'],
    ['a reset link', 'Password:\nhttps://reset.example.com/abc123'],
    ['nothing at all', 'Password:'],
    ['a code after "pass", which English uses for other things', 'Boarding pass:\nAB12CD'],
  ])('leaves %s after the label untouched', (_, text) => {
    const result = maskSecrets(text);

    expect(result.found).toEqual([]);
    expect(result.text).toBe(text);
  });
});

describe('placeholders after a password label on its line', () => {
  it.each([`password: \${PASSWORD}`, 'senha: $SENHA', 'pwd=%PASSWORD%', 'contraseña: <contraseña>'])(
    'are not passwords: %s',
    (text) => {
      expect(maskSecrets(text).found).toEqual([]);
    },
  );
});
