import { describe, expect, it } from 'vitest';
import { maskSecrets, maskValue } from '../../../lib/domain/mail/secret-redaction.ts';

describe('credentials in URLs', () => {
  it.each([
    [
      'the password of an https URL',
      'clone https://deploy:S3cr3t!pw@git.example.com/repo.git',
      'S3cr3t!pw',
      'password',
    ],
    [
      'the password of a database URL',
      'DATABASE_URL=postgres://app:hunter22@db.internal:5432/prod',
      'hunter22',
      'password',
    ],
    ['the password of an FTP URL (pt)', 'Acesso: ftp://ana:senha123@ftp.cliente.com.br/', 'senha123', 'password'],
    ['a Zoom passcode', 'Join: https://zoom.us/j/123456789?pwd=aBcD1234efGh.', 'aBcD1234efGh', 'password'],
    [
      'a password= parameter',
      'https://legacy.example.com/login.php?user=ana&password=Tr0ub4dor',
      'Tr0ub4dor',
      'password',
    ],
    [
      'a contraseña= parameter (es)',
      'https://intranet.example.es/acceso?usuario=juan&contraseña=Perro!77',
      'Perro!77',
      'password',
    ],
    [
      'a senha= parameter (pt)',
      'Entrem em https://painel.example.com.br/?senha=gato1234 por favor',
      'gato1234',
      'password',
    ],
    [
      'an api_key= parameter',
      'https://api.example.com/v1/report?format=csv&api_key=9f8e7d6c5b4a&page=2',
      '9f8e7d6c5b4a',
      'api-key',
    ],
    [
      'an access_token= parameter',
      'https://app.example.com/cb#state=x&access_token=ya29.a0AfH6SMBxyz',
      'ya29.a0AfH6SMBxyz',
      'token',
    ],
    ['a token= parameter', '(https://status.example.com/feed?token=Qx81zzLm)', 'Qx81zzLm', 'token'],
  ])('masks %s and keeps the rest of the URL', (_, text, secret, kind) => {
    const result = maskSecrets(text);

    expect(result.found.map((finding) => finding.kind)).toEqual([kind]);
    expect(result.text).toBe(text.replace(secret, maskValue(secret)));
  });

  it.each([
    ['a placeholder password', `https://user:\${PASSWORD}@git.example.com/repo.git`],
    ['a blanked password', 'https://user:****@git.example.com/repo.git'],
    ['a user without a password', 'http://ana@intranet.example.com/wiki'],
    ['a colon in the path', 'https://example.com/a:b@2x.png'],
    ['a templated parameter', 'https://example.com/api?token={token}&apikey=<apikey>'],
    ['a documented placeholder', 'https://example.com/api?api_key=YOUR_API_KEY'],
    ['switches and page numbers', 'https://example.com/list?pass=1&token=true'],
    [
      'base64 image data in a data: URL',
      '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA">',
    ],
    [
      'base64 image data in a query',
      'https://cdn.example.com/img?data=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA',
    ],
    ['an unsubscribe link', 'https://news.example.com/unsubscribe?id=8c1f3a&list=weekly'],
  ])('leaves %s untouched', (_, text) => {
    const result = maskSecrets(text);

    expect(result.found).toEqual([]);
    expect(result.text).toBe(text);
  });
});
