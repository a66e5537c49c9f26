import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AtendeError } from '../domain/atende-error.ts';
import { parsePolicy } from '../domain/policy/parse-policy.ts';
import type { Policy } from '../domain/policy/policy-schema.ts';
import { SHIPPED_FILES_ROOT } from './shipped-files.ts';

/** The product's default policy, used when no file is given (found as shipped-files.ts says). */
export const DEFAULT_POLICY_PATH = join(SHIPPED_FILES_ROOT, 'policy', 'default.yaml');

/** The one policy loader: reads a YAML file and validates it (see parsePolicy for the errors). */
export async function loadPolicyFile(path: string = DEFAULT_POLICY_PATH): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AtendeError('policy.fileNotFound', `policy file ${path} does not exist`, {
        cause: error,
        details: { path },
      });
    }
    throw error;
  }
  return parsePolicy(text, path);
}
