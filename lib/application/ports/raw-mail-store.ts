/**
 * Where inbound mail is kept exactly as received (S3 on AWS, a folder locally).
 * Nothing is ever lost: a message that cannot be parsed or stored in a ticket
 * still has its raw bytes here.
 */
export interface RawMailStore {
  /** The raw message; fails with `mail.rawNotFound`, or `mail.tooLarge` when it exceeds `maxBytes`. */
  get(key: string, options?: { maxBytes?: number }): Promise<Uint8Array>;
  /**
   * Stores a raw message (the local SMTP listener and `atende ingest`; on AWS, SES's S3 action does this).
   * Durable once it resolves: the listener answers 250 after it, and the client then forgets the mail.
   */
  put(key: string, raw: Uint8Array): Promise<void>;
}
