import { describe, expect, it } from 'vitest';
import { maskSecrets, maskValue } from '../../../lib/domain/mail/secret-redaction.ts';

/** AWS's documented example secret access key, and a key id of the same example pair. */
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const COMMIT = '9fceb02d0ae598e95dc970b74767f19372d61af8';

const detectors = (text: string) => maskSecrets(text).found.map((finding) => finding.detector);

describe('AWS secret access keys', () => {
  it.each([
    ['after aws_secret_access_key', `aws_secret_access_key = ${SECRET}`],
    ['after SecretAccessKey in JSON', `{"SecretAccessKey": "${SECRET}"}`],
    ['after "secret key" and a colon', `Secret key: ${SECRET}`],
    ['after "my secret key is"', `my secret key is ${SECRET}.`],
    ['on the line after its label', `Secret access key:\n    ${SECRET}`],
    ['after the Spanish console label', `Clave de acceso secreta: ${SECRET}`],
    ['after the Portuguese console label', `Chave de acesso secreta: ${SECRET}`],
  ])('masks a key %s', (_, text) => {
    const result = maskSecrets(text);

    expect(result.found.map((finding) => finding.kind)).toEqual(['api-key']);
    expect(result.text).toBe(text.replace(SECRET, maskValue(SECRET)));
  });

  it.each([
    ['on the same line, as in the console CSV', `Access key ID,Secret access key\n${KEY_ID},${SECRET}`],
    ['on the line after the id', `key id ${KEY_ID}\n${SECRET}`],
    ['two lines below the id', `${KEY_ID}\n\n${SECRET}`],
    ['on the line above a temporary (ASIA) id', `${SECRET}\nASIAY34FZKBOKMUTVV7A`],
  ])('masks an unlabelled key %s, and the id', (_, text) => {
    const result = maskSecrets(text);

    expect(result.found.map((finding) => finding.detector).sort()).toEqual([
      'aws-access-key-id',
      'aws-secret-key-near-id',
    ]);
    expect(result.text).not.toContain(SECRET.slice(1, -1));
  });

  it('masks a labelled 40-character hex value: the label says what it is', () => {
    expect(detectors(`aws_secret_access_key=${COMMIT}`)).toEqual(['aws-secret-key']);
  });

  it.each([
    ['a commit id', `fixed in commit ${COMMIT}`, []],
    ['a commit id on the line after an access key id', `${KEY_ID}\ncommit ${COMMIT}`, ['aws-access-key-id']],
    ['a key-shaped value far from any access key id', `${KEY_ID}\n\n\n\n${SECRET}`, ['aws-access-key-id']],
    ['a placeholder after the label', 'aws_secret_access_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', []],
    ['a variable after the label', `aws_secret_access_key=\${AWS_SECRET_ACCESS_KEY}`, []],
    ['prose after "secret key"', `The secret key rotation ran on commit ${COMMIT}.`, []],
  ])('does not take %s for a secret key', (_, text, expected) => {
    expect(detectors(text)).toEqual(expected);
  });
});
