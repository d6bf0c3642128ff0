import type { AddressInfo } from 'node:net';
import { configSchema, type Config } from '../../src/config/config-schema';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as a real SMTP server received it: the envelope, the raw bytes, and mailparser's view. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export type RefusalStage = 'rcpt' | 'data';

/** A real SMTP server (`smtp-server`) on a free loopback port that records what it accepts. */
export interface SmtpTestServer {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Transactions that reached the refusal point (refused or accepted). */
  transactions: number;
  /** Refuses the next `count` transactions at `stage` with `code message`, then accepts again. */
  refuse(count: number, stage: RefusalStage, code: number, message: string): void;
  /** Resolves once `count` messages have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  let refusals = { count: 0, stage: 'rcpt' as RefusalStage, code: 451, message: '' };
  const state = { transactions: 0 };
  let refusedTransaction: Error | undefined;
  const refusesAt = (stage: RefusalStage): Error | undefined => {
    if (refusals.count === 0 || refusals.stage !== stage) return undefined;
    refusals.count -= 1;
    return smtpError(refusals.code, refusals.message);
  };
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to trust, nothing to authenticate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS of 127.0.0.1 per connection: it costs time and leaves loopback.
    disableReverseLookup: true,
    onMailFrom(_address, _session, callback) {
      // A transaction starts with MAIL FROM; whether its recipients are refused is decided here, once for all of them.
      state.transactions += 1;
      refusedTransaction = refusesAt('rcpt');
      callback();
    },
    onRcptTo(_address, _session, callback) {
      callback(refusedTransaction ?? null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = refusesAt('data');
        if (refusal) return callback(refusal);
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            callback();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    received,
    get transactions() {
      return state.transactions;
    },
    refuse(count, stage, code, message) {
      refusals = { count, stage, code, message };
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} mails, got ${received.length} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The validated `smtp` settings that point at a test server (defaults for everything else). */
export function smtpSettingsFor(
  server: Pick<SmtpTestServer, 'host' | 'port'>,
  overrides: Partial<Config['smtp']> = {},
): Config['smtp'] {
  return configSchema.parse({
    smtp: {
      host: server.host,
      port: server.port,
      from: 'confgate <noreply@confgate.test>',
      timeoutSeconds: 5,
      ...overrides,
    },
  }).smtp;
}
