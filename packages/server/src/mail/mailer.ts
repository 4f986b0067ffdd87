// Outgoing mail and SMS. SMTP (nodemailer) and an SMS gateway in production; otherwise the
// development mailbox of CONTRACT §11: a table readable at GET /beak/dev/mail, and the log.
import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/index.js';
import type { Clock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';

export interface Message {
  to: string;
  subject: string;
  text: string;
  /** The one-time code the message carries, kept only by the development mailbox. */
  otp?: string;
}

export interface Mailer {
  readonly transport: 'smtp' | 'dev-mailbox';
  sendMail(m: Message): Promise<void>;
  sendSms(m: Omit<Message, 'subject'>): Promise<void>;
  verify(): Promise<boolean>;
  close(): void;
}

export interface MailerOptions { smtpUrl?: string; smsWebhookUrl?: string; from: string; db: Db; clock: Clock; log: FastifyBaseLogger }

export function createMailer(o: MailerOptions): Mailer {
  const devStore = async (channel: 'email' | 'sms', m: Message) => {
    await o.db.kysely.insertInto('mailbox').values({
      id: newId('msg', o.clock.now()), channel, to_addr: m.to.toLowerCase(), subject: m.subject, text: m.text,
      otp: m.otp ?? null, created_at: o.clock.now(),
    }).execute();
    // Development only (production refuses to start without SMTP): printing the message is the point.
    o.log.info({ channel, to: m.to, subject: m.subject, devMailbox: true }, `dev mailbox: ${m.text}`);
  };

  const smtp: Transporter | null = o.smtpUrl ? nodemailer.createTransport(o.smtpUrl) : null;

  return {
    transport: smtp ? 'smtp' : 'dev-mailbox',
    async sendMail(m) {
      if (!smtp) return devStore('email', m);
      await smtp.sendMail({ from: o.from, to: m.to, subject: m.subject, text: m.text });
    },
    async sendSms(m) {
      if (!o.smsWebhookUrl) return devStore('sms', { ...m, subject: 'SMS' });
      const res = await fetch(o.smsWebhookUrl, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: m.to, text: m.text }), signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
    async verify() {
      if (!smtp) return true;
      try { await smtp.verify(); return true; } catch { return false; }
    },
    close() { smtp?.close(); },
  };
}
