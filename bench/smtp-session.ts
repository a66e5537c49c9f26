import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What the server said to one message, and when (performance.now() milliseconds). */
export interface SmtpDelivery {
  /** The reply to the end of DATA (250 taken, 4xx try again, 5xx refused), or the refusal of an earlier step. */
  readonly code: number;
  /** When the message's final `.` line was handed to the socket. */
  readonly dataEndAt: number;
  /** When the reply to it came. */
  readonly answeredAt: number;
}

interface Reply {
  readonly code: number;
  readonly at: number;
}

/**
 * One keep-alive SMTP connection that delivers message after message (MAIL, RCPT, DATA, the
 * dot-stuffed bytes), as a mail relay does, timing the end of DATA and its answer itself: a
 * library client's callback would add its own queueing to the latency measured. One message at
 * a time per session; a benchmark worker holds one session.
 */
export class SmtpSession {
  private buffered = '';
  private readonly replies: Reply[] = [];
  private waiting: ((reply: Reply) => void) | null = null;
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.read(chunk));
    const fail = (error: Error) => {
      this.failure ??= error;
      this.waiting?.({ code: 0, at: performance.now() });
      this.waiting = null;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the SMTP server closed the connection')));
  }

  /** Connects, reads the greeting and says EHLO. */
  static async open(port: number, host = '127.0.0.1'): Promise<SmtpSession> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const session = new SmtpSession(socket);
    await session.expect(220, null);
    await session.expect(250, 'EHLO bench.example');
    return session;
  }

  /** Delivers one message; a refusal at any step is its code (the session stays usable after RSET). */
  async deliver(
    envelope: { readonly from: string; readonly to: readonly string[] },
    raw: Buffer,
  ): Promise<SmtpDelivery> {
    const refused = async (reply: Reply): Promise<SmtpDelivery> => {
      await this.command('RSET');
      return { code: reply.code, dataEndAt: reply.at, answeredAt: reply.at };
    };
    let reply = await this.command(`MAIL FROM:<${envelope.from}>`);
    if (reply.code !== 250) return refused(reply);
    for (const to of envelope.to) {
      reply = await this.command(`RCPT TO:<${to}>`);
      if (reply.code !== 250) return refused(reply);
    }
    reply = await this.command('DATA');
    if (reply.code !== 354) return refused(reply);
    // RFC 5321 §4.5.2: a line that starts with "." gets one more; the bytes stay as they are (latin1 round-trips them).
    const text = raw.toString('latin1').replace(/^\./gm, '..');
    this.socket.write(text.endsWith('\r\n') ? text : `${text}\r\n`, 'latin1');
    const dataEndAt = performance.now();
    reply = await this.command('.');
    return { code: reply.code, dataEndAt, answeredAt: reply.at };
  }

  async close(): Promise<void> {
    if (this.failure === null) await this.command('QUIT');
    this.socket.destroy();
  }

  private async expect(code: number, line: string | null): Promise<void> {
    const reply = line === null ? await this.next() : await this.command(line);
    if (reply.code !== code) throw new Error(`the SMTP server answered ${reply.code} to ${line ?? 'the connection'}`);
  }

  private command(line: string): Promise<Reply> {
    this.socket.write(`${line}\r\n`, 'latin1');
    return this.next();
  }

  private next(): Promise<Reply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const early = this.replies.shift();
    if (early !== undefined) return Promise.resolve(early);
    return new Promise((resolve, reject) => {
      this.waiting = (reply) => (this.failure !== null ? reject(this.failure) : resolve(reply));
    });
  }

  /** Multi-line replies (`250-…`) end at their last line (`250 …`). */
  private read(chunk: string): void {
    this.buffered += chunk;
    for (let end = this.buffered.indexOf('\r\n'); end >= 0; end = this.buffered.indexOf('\r\n')) {
      const line = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), at: performance.now() };
      const waiting = this.waiting;
      this.waiting = null;
      if (waiting) waiting(reply);
      else this.replies.push(reply);
    }
  }
}
