import * as z from 'zod';
import { AtendeError } from '../../domain/atende-error.ts';

/**
 * Reads configuration from environment variables once, at start-up, through a zod schema
 * whose keys are the variable names; a missing or malformed variable fails with its name.
 */
export function readEnvironment<Shape extends z.ZodRawShape>(
  shape: Shape,
  environment: NodeJS.ProcessEnv,
): z.output<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(environment);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const variable = String(issue?.path[0] ?? '?');
  const missing = environment[variable] === undefined || environment[variable] === '';
  throw new AtendeError(
    missing ? 'config.missingVariable' : 'config.invalidVariable',
    missing
      ? `environment variable ${variable} is not set`
      : `environment variable ${variable}: ${issue?.message ?? 'invalid'}`,
    {
      details: {
        variable,
        problems: result.error.issues.map((problem) => `${String(problem.path[0])}: ${problem.message}`),
      },
    },
  );
}
