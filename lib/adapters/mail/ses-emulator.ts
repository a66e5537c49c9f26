import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { AtendeError } from '../../domain/atende-error.ts';

/**
 * The SES emulator (`aws-ses-v2-local`: SES v1 SendRawEmail and v2, a page listing sent mail
 * at `/`, the mail as JSON at `GET /store`), started inside this Node process through the
 * package's own API: no child process to leave behind, ready as soon as it listens.
 *
 * Its store is one per process (a module variable of the package): two emulators started in
 * one process share it. The package forwards every mail over SMTP when SMTP_TRANSPORT is set.
 */
export interface SesEmulatorOptions {
  /** Port to listen on; a free one when absent or 0. */
  readonly port?: number;
  /** Address to listen on; default 127.0.0.1 (the package's own default is every interface). */
  readonly host?: string;
}

export interface SesEmulator {
  /** `http://<host>:<port>`, for an SES client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops listening and closes open connections. Safe to call twice. */
  stop(): Promise<void>;
}

/** A mail as the emulator keeps it (`GET /store`), the fields atende reads. */
export const EmulatorMailSchema = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({ to: z.array(z.string()), cc: z.array(z.string()), bcc: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ text: z.string().optional(), html: z.string().optional() }),
  /** The files the raw message carried, as the emulator parsed them. */
  attachments: z
    .array(z.object({ filename: z.string().optional(), contentType: z.string(), size: z.number() }))
    .default([]),
  /** Seconds since the epoch. */
  at: z.number(),
});
export type EmulatorMail = z.output<typeof EmulatorMailSchema>;

const StoreSchema = z.object({ emails: z.array(EmulatorMailSchema) });

type ServerFactory = (config: { host: string; port: number }) => Promise<Server>;

/**
 * The package's server factory. It is CommonJS with a transpiled default export
 * (`module.exports.default`); `import` hands that to Node and to vitest differently
 * (one more or one less `.default`), `require` the same way everywhere.
 */
const loadServerFactory = (): ServerFactory => {
  const loaded: unknown = createRequire(import.meta.url)('aws-ses-v2-local');
  const factory: unknown =
    typeof loaded === 'object' && loaded !== null && 'default' in loaded ? loaded.default : undefined;
  if (typeof factory !== 'function')
    throw new AtendeError('local.startFailed', 'aws-ses-v2-local exports no server factory (a new major version?)');
  // Checked to be a function above; its signature is the package's index.d.ts.
  return factory as ServerFactory;
};

/** Starts the emulator; fails with `local.startFailed` when the port is taken or it does not answer. */
export const startSesEmulator = async (options: SesEmulatorOptions = {}): Promise<SesEmulator> => {
  const host = options.host ?? '127.0.0.1';
  const server = await loadServerFactory()({ host, port: options.port ?? 0 });
  // express 5 hands a listen error to the package's callback, which resolves anyway: the server is then not listening.
  if (!server.listening) {
    throw new AtendeError(
      'local.startFailed',
      `the SES emulator could not listen on ${host}:${options.port ?? 0} (port in use?)`,
      { details: { host, port: options.port } },
    );
  }
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string')
    throw new AtendeError('local.startFailed', 'the SES emulator listens on no TCP port', { details: { host } });
  const { port } = address;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      // An SDK client keeps its socket alive; close() alone would wait for it.
      server.closeAllConnections();
    });
    return stopped;
  };
  try {
    const answer = await fetch(`${endpoint}/health-check`, { signal: AbortSignal.timeout(5_000) });
    if (!answer.ok) throw new Error(`health check answered ${answer.status}`);
  } catch (error) {
    await stop();
    throw new AtendeError('local.startFailed', `the SES emulator at ${endpoint} did not answer`, {
      cause: error,
      details: { endpoint },
    });
  }
  return { endpoint, port, stop };
};

/** The mail the emulator holds, oldest first (`GET /store`), checked against the shape atende reads. */
export const readEmulatorStore = async (endpoint: string): Promise<EmulatorMail[]> => {
  const answer = await fetch(`${endpoint}/store`, { signal: AbortSignal.timeout(5_000) });
  if (!answer.ok) throw new Error(`the SES emulator's store answered ${answer.status}`);
  return StoreSchema.parse(await answer.json()).emails;
};
