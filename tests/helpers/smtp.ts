import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** A mail the local SMTP server received: envelope recipients and the raw message. */
export interface ReceivedMail {
  to: string[];
  raw: string;
  /** the Subject header, decoded when it was RFC 2047 encoded (UTF-8, base64 or Q) */
  subject: string;
  /** the body of a single-part text mail, decoded from base64 when it was sent so */
  text: string;
}

function textOf(raw: string): string {
  const [headers = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  return /^content-transfer-encoding:\s*base64/im.test(headers)
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : body;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function subjectOf(raw: string): string {
  const headers = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const match = /^subject:(.*(?:\r?\n[ \t].*)*)/im.exec(headers);
  return match
    ? decodeWords(match[1]!.replace(/\r?\n[ \t]/g, '').trim()).replace(/\s+(?=\S)/g, ' ')
    : '';
}

/**
 * A real SMTP server on a free port of 127.0.0.1 for a test: no TLS, no auth, keeping every
 * mail it is given. `url` is what the app's SMTP_URL takes.
 */
export async function startSmtpServer(opts: { dir?: string } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: subjectOf(raw),
          text: textOf(raw),
        };
        received.push(mail);
        // another process (the browser tests') reads them from the directory
        if (opts.dir)
          writeFileSync(join(opts.dir, `${received.length}.json`), JSON.stringify(mail));
        callback();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** The mails a server started with `dir` has received so far (read from the directory). */
export function mailsIn(dir: string): ReceivedMail[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ReceivedMail);
}
