/**
 * An SMTP server for shops that point an MX record (or a forwarding rule) at
 * storedesk: it accepts mail for the shop's support addresses, parses it and
 * hands the events on (usually to `desk.ingest`). It answers 250 only after the
 * events were handed on; a failure there answers 451, so the sending server
 * keeps the message and retries — nothing accepted is ever lost.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { SMTPServerOptions } from "smtp-server";
import { StoredeskError } from "@storedesk/core";
import type { InboundEventInput } from "@storedesk/core";

/** Options of {@link emailSmtpListener}. */
export interface EmailSmtpListenerOptions {
  /** The email channel whose parser reads the mail (`emailChannel({...})`). */
  channel: {
    parse(raw: Uint8Array, options?: { envelopeRecipients?: readonly string[] }): Promise<InboundEventInput[]>;
  };
  /** Receives the events of each accepted mail. Ingest is idempotent, so a retried mail after a partial failure is safe. */
  onEvents: (events: InboundEventInput[]) => Promise<void>;
  /** Recipients accepted: whole domains (`shop.example`) and/or single addresses. Mail for anyone else is refused with 550. */
  accept: { domains?: readonly string[]; addresses?: readonly string[] };
  /** Largest accepted message in bytes (announced in EHLO SIZE); default 25 MiB. */
  maxBytes?: number;
  /** TLS key and certificate for STARTTLS; without them STARTTLS is not offered. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Host name in the greeting. */
  name?: string;
  /** Reports failures (parse errors, onEvents errors); never called with message content. */
  onError?: (err: unknown) => void;
  /** Further smtp-server options, applied last (for example `logger`, `maxClients`). */
  serverOptions?: Partial<SMTPServerOptions>;
}

/** A running listener. */
export interface EmailSmtpListener {
  /** Starts listening; port 0 picks a free port. Resolves with the bound address. */
  listen(port?: number, host?: string): Promise<{ port: number; host: string }>;
  /** Stops accepting connections and waits for open sessions to end. */
  close(): Promise<void>;
}

function smtpReply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Whether `address` (any case) is one of the accepted recipients; a plus tag (`support+SD-12@`) is ignored. */
export function isAcceptedRecipient(address: string, accept: EmailSmtpListenerOptions["accept"]): boolean {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return false;
  const domain = lower.slice(at + 1);
  const base = `${lower.slice(0, at).replace(/\+.*$/, "")}@${domain}`;
  if ((accept.domains ?? []).some((d) => d.toLowerCase() === domain)) return true;
  return (accept.addresses ?? []).some((a) => {
    const want = a.trim().toLowerCase();
    return want === lower || want === base;
  });
}

/**
 * Creates an SMTP listener that feeds inbound mail to the desk.
 *
 * @example
 * const listener = emailSmtpListener({
 *   channel: email,
 *   accept: { addresses: ["support@shop.example"] },
 *   onEvents: async (events) => { for (const e of events) await desk.ingest(e); },
 * });
 * await listener.listen(25, "0.0.0.0");
 */
export function emailSmtpListener(options: EmailSmtpListenerOptions): EmailSmtpListener {
  const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  const report = (err: unknown) => options.onError?.(err);
  const server = new SMTPServer({
    ...(options.name ? { name: options.name } : {}),
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    size: maxBytes,
    authOptional: true,
    // An MX takes mail from anyone for its own addresses; there is nobody to log in.
    disabledCommands: options.tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    logger: false,
    banner: "storedesk",
    onRcptTo(address, _session, callback) {
      if (isAcceptedRecipient(address.address, options.accept)) callback();
      else callback(smtpReply(550, "5.1.1 Mailbox unavailable"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (err) => {
        report(err);
        callback(smtpReply(451, "4.3.0 Temporary failure, try again later"));
      });
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(smtpReply(552, "5.3.4 Message too big"));
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelopeRecipients = session.envelope.rcptTo.map((r) => r.address);
        void (async () => {
          let events: InboundEventInput[];
          try {
            events = await options.channel.parse(raw, { envelopeRecipients });
          } catch (err) {
            report(err);
            // Unreadable mail will not read better later: refuse it permanently, so the sender learns.
            if (StoredeskError.is(err, "INVALID_INPUT"))
              return callback(smtpReply(550, "5.6.0 Message could not be read"));
            return callback(smtpReply(451, "4.3.0 Temporary failure, try again later"));
          }
          try {
            await options.onEvents(events);
            callback(null, "2.0.0 Accepted");
          } catch (err) {
            report(err);
            callback(smtpReply(451, "4.3.0 Temporary failure, try again later"));
          }
        })();
      });
    },
    ...options.serverOptions,
  });
  server.on("error", report);

  return {
    listen(port = 25, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        const onError = (err: unknown) => reject(err instanceof Error ? err : new Error(String(err)));
        server.server.once("error", onError);
        server.listen(port, host, () => {
          server.server.off("error", onError);
          const address = server.server.address() as AddressInfo;
          resolve({ port: address.port, host: address.address });
        });
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
