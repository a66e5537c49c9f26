import { connect } from 'node:net';

/**
 * Speaks SMTP line by line, for what a well-behaved client (nodemailer) will not do: go on
 * after a refusal. Sends each command after the previous reply and returns every reply code,
 * the greeting's first. A `DATA` command's message follows it as the next entry, ending with
 * `\r\n.`; multi-line replies (`250-…`) count as one. `written(index)` is told when command
 * `index` has been written and its reply is awaited (a crash test counts the messages whose end
 * of data the server had when it died). A connection that ends before every reply came fails.
 */
export async function smtpDialogue(
  port: number,
  commands: readonly string[],
  written: (index: number) => void = () => {},
): Promise<number[]> {
  const socket = connect(port, '127.0.0.1');
  const codes: number[] = [];
  let buffered = '';
  let waiting: ((code: number) => void) | null = null;
  const replies: number[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (line[3] === '-') continue;
      const code = Number(line.slice(0, 3));
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve(code);
      } else replies.push(code);
    }
  });
  const failed = new Promise<never>((_, reject) => {
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the server closed the connection')));
  });
  // Raced against each reply; the close that follows the last one is nobody's failure.
  failed.catch(() => {});
  const reply = () =>
    Promise.race([
      failed,
      new Promise<number>((resolve) => {
        const early = replies.shift();
        if (early !== undefined) resolve(early);
        else waiting = resolve;
      }),
    ]);
  try {
    codes.push(await reply());
    for (const [index, command] of commands.entries()) {
      socket.write(`${command}\r\n`);
      written(index);
      codes.push(await reply());
    }
    return codes;
  } finally {
    socket.destroy();
  }
}

/** The base64 of an AUTH PLAIN token (RFC 4616): authorization identity, user and secret, NUL-separated. */
export const plainToken = (user: string, secret: string, actAs = ''): string =>
  Buffer.from(`${actAs}\0${user}\0${secret}`).toString('base64');
