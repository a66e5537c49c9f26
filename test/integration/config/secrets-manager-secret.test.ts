import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingSecret } from '../../../lib/adapters/aws/secrets-manager-secret.ts';
import { motoClientConfig, useMotoServer } from '../../support/moto-server.ts';

// The stack keeps the link-signing key in Secrets Manager and hands the functions its ARN; moto answers the same API.
const moto = useMotoServer();
let client: SecretsManagerClient;
let arn: string;
const KEY = 'k'.repeat(64);

beforeAll(async () => {
  client = new SecretsManagerClient(motoClientConfig(moto().endpoint));
  arn = (await client.send(new CreateSecretCommand({ Name: 'atende-link-signing', SecretString: KEY }))).ARN!;
});
afterAll(() => client?.destroy());

const read = (environment: NodeJS.ProcessEnv, required = true) =>
  signingSecret(() => client, environment, 'ATENDE_SURVEY_SECRET', { required, minLength: 32 });

describe('a signing secret', () => {
  it('is read from the Secrets Manager secret NAME_ARN names', async () => {
    expect(await read({ ATENDE_SURVEY_SECRET_ARN: arn })).toBe(KEY);
  });

  it('is the variable itself when set, without asking Secrets Manager', async () => {
    const value = 'v'.repeat(40);
    const unreachable = () => {
      throw new Error('Secrets Manager was asked');
    };
    expect(
      await signingSecret(
        unreachable,
        { ATENDE_SURVEY_SECRET: value, ATENDE_SURVEY_SECRET_ARN: arn },
        'ATENDE_SURVEY_SECRET',
        {
          required: true,
          minLength: 32,
        },
      ),
    ).toBe(value);
  });

  it('names both variables when neither is set, and is null when not required', async () => {
    await expect(read({})).rejects.toMatchObject({
      code: 'config.missingVariable',
      message: 'set ATENDE_SURVEY_SECRET or ATENDE_SURVEY_SECRET_ARN',
    });
    expect(await read({}, false)).toBeNull();
  });

  it('fails with config.secretUnreadable for a secret that does not exist, never with its value', async () => {
    await expect(
      read({ ATENDE_SURVEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf' }),
    ).rejects.toMatchObject({ code: 'config.secretUnreadable', details: { variable: 'ATENDE_SURVEY_SECRET_ARN' } });
  });

  it('refuses a key shorter than the minimum without echoing it', async () => {
    const short = (await client.send(new CreateSecretCommand({ Name: 'short', SecretString: 'tiny-key' }))).ARN!;
    const failure = await read({ ATENDE_SURVEY_SECRET_ARN: short }).catch((error: Error) => error);
    expect(failure).toMatchObject({ code: 'config.invalidVariable' });
    expect((failure as Error).message).not.toContain('tiny-key');
  });
});
