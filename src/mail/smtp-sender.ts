import nodemailer from 'nodemailer';
import type { Config } from '../config/config-schema';
import type { OutgoingMail } from './outgoing-mail';

/** A send that did not go through. `permanent` when retrying cannot help. */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

export interface MailSendResult {
  /** Addresses the server refused while accepting the message for the others. */
  rejected: string[];
}

/** Hands one message to the mail system. Throws `MailSendError`. */
export interface MailSender {
  send(mail: OutgoingMail): Promise<MailSendResult>;
}

interface SmtpErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
}

/**
 * A 5yz reply to MAIL, RCPT or DATA is a permanent refusal (RFC 5321 §4.2.1). A 5yz to AUTH
 * is not treated so: it is a configuration fault an operator fixes while the job waits.
 */
function isPermanent(e: SmtpErrorLike): boolean {
  return (
    (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && typeof e.responseCode === 'number' && e.responseCode >= 500
  );
}

/**
 * The SMTP sender (nodemailer) for the `smtp` settings, or `undefined` when no host is set.
 * One connection per message: confirmations are rare, and a fresh connection cannot inherit a
 * broken one's state.
 */
export function createSmtpSender(smtp: Config['smtp']): MailSender | undefined {
  if (!smtp.host) return undefined;
  const timeoutMs = smtp.timeoutSeconds * 1000;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(mail: OutgoingMail): Promise<MailSendResult> {
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: mail.to,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // RFC 3834 §5: keeps vacation responders from answering a machine.
          headers: { 'Auto-Submitted': 'auto-generated' },
          ...(mail.calendar
            ? { icalEvent: { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.content } }
            : {}),
        });
        return { rejected: info.rejected.map((a) => (typeof a === 'string' ? a : a.address)) };
      } catch (e) {
        const err = e as SmtpErrorLike;
        throw new MailSendError(err.message ?? String(e), isPermanent(err));
      }
    },
  };
}
