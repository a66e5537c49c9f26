import { createServer } from 'node:net';
import { AtendeError } from '../../domain/atende-error.ts';
import type { LocalStackConfig } from './local-stack-config.ts';

/** One port the local stack listens on, with the variable that moves it. */
export interface LocalStackPort {
  readonly port: number;
  readonly variable: 'ATENDE_HTTP_PORT' | 'ATENDE_SMTP_PORT' | 'ATENDE_SES_PORT' | 'ATENDE_DDB_PORT';
  readonly part: string;
}

export const localStackPorts = (config: LocalStackConfig): LocalStackPort[] => [
  { port: config.dynamodbPort, variable: 'ATENDE_DDB_PORT', part: 'DynamoDB Local' },
  { port: config.sesPort, variable: 'ATENDE_SES_PORT', part: 'the SES emulator' },
  { port: config.smtpPort, variable: 'ATENDE_SMTP_PORT', part: 'the SMTP listener' },
  { port: config.httpPort, variable: 'ATENDE_HTTP_PORT', part: 'the HTTP server' },
];

/**
 * Refuses, before anything starts, ports that another program holds (`local.portInUse`, every
 * such port and its variable in one message). Needed because a part does not always fail on its
 * own: DynamoDB Local counts as started once something answers on its port, so on a port
 * another stack's DynamoDB Local holds it would run on that stack's tickets. The probe listens
 * on every interface, as DynamoDB Local does, so a listener on any address counts.
 */
export async function ensureLocalStackPortsFree(ports: readonly LocalStackPort[]): Promise<void> {
  const problems: string[] = [];
  const seen = new Map<number, LocalStackPort>();
  for (const entry of ports) {
    const earlier = seen.get(entry.port);
    if (earlier !== undefined) {
      problems.push(
        `${earlier.variable} and ${entry.variable} are both ${entry.port}: ${earlier.part} and ${entry.part} need a port each`,
      );
      continue;
    }
    seen.set(entry.port, entry);
    const refusal = await listenRefusal(entry.port);
    if (refusal === 'EADDRINUSE')
      problems.push(
        `port ${entry.port} (${entry.variable}, for ${entry.part}) is already in use: stop what listens there (another atende stack?) or set ${entry.variable} to a free port`,
      );
    else if (refusal !== null)
      problems.push(`port ${entry.port} (${entry.variable}, for ${entry.part}) cannot be listened on (${refusal})`);
  }
  if (problems.length > 0)
    throw new AtendeError(
      'local.portInUse',
      `the local stack cannot start:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
      {
        details: { problems },
      },
    );
}

/** null when `port` can be listened on, else the error code (EADDRINUSE, EACCES …). */
function listenRefusal(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen({ port }, () => probe.close(() => resolve(null)));
  });
}
