import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AtendeError } from '../../domain/atende-error.ts';

/**
 * A signing key the deployment keeps out of its template: the variable itself (`NAME`, for a
 * local run or a test), else the Secrets Manager secret `NAME_ARN` names (the CDK stack sets
 * that), read once per cold start. Neither set is `config.missingVariable` naming both.
 */
export async function signingSecret(
  client: () => SecretsManagerClient,
  environment: NodeJS.ProcessEnv,
  variable: string,
  options: { readonly required: boolean; readonly minLength: number },
): Promise<string | null> {
  const given = environment[variable];
  const arn = environment[`${variable}_ARN`];
  let value: string | null = given === undefined || given === '' ? null : given;
  if (value === null && arn !== undefined && arn !== '') {
    try {
      const answer = await client().send(new GetSecretValueCommand({ SecretId: arn }));
      value = answer.SecretString ?? null;
    } catch (error) {
      throw new AtendeError('config.secretUnreadable', `cannot read the secret ${variable}_ARN names`, {
        cause: error,
        details: { variable: `${variable}_ARN` },
      });
    }
    if (value === null)
      throw new AtendeError('config.secretUnreadable', `the secret ${variable}_ARN names holds no text`, {
        details: { variable: `${variable}_ARN` },
      });
  }
  if (value === null) {
    if (!options.required) return null;
    throw new AtendeError('config.missingVariable', `set ${variable} or ${variable}_ARN`, {
      details: { variable },
    });
  }
  // The value is never echoed: only how long it should be.
  if (Buffer.byteLength(value, 'utf8') < options.minLength)
    throw new AtendeError('config.invalidVariable', `${variable} must be at least ${options.minLength} bytes`, {
      details: { variable },
    });
  return value;
}
