/**
 * Helpers for this package's tests (not exported from the package).
 */
import type { AddressInfo } from "node:net";
import iconv from "iconv-lite";
import { SMTPServer } from "smtp-server";

/**
 * ISO-2022-KR bytes of `text`, made from iconv-lite's EUC-KR encoding:
 * iconv-lite cannot encode ISO-2022-KR, but by RFC 1557 it is EUC-KR's
 * two-byte characters shifted to GL (minus 0x80) between SO and SI, after one
 * `ESC $ ) C` designator, and back to ASCII before every line end.
 */
export function encodeIso2022KrForTest(text: string): Buffer {
  const euc = iconv.encode(text, "euc-kr");
  const out: number[] = [0x1b, 0x24, 0x29, 0x43];
  let shifted = false;
  for (const b of euc) {
    if (b >= 0x80) {
      if (!shifted) out.push(0x0e);
      shifted = true;
      out.push(b - 0x80);
    } else {
      if (shifted) out.push(0x0f);
      shifted = false;
      out.push(b);
    }
  }
  if (shifted) out.push(0x0f);
  return Buffer.from(out);
}

/** A real SMTP server on loopback that records what it receives and fails on request. */
export interface SmtpPeer {
  port: number;
  /** Raw messages received, in order, with their envelope recipients. */
  received: Array<{ raw: Buffer; rcptTo: string[]; user: string | null }>;
  /** Answers the next DATA with `code` (e.g. 451, 554). */
  failNextData(code: number): void;
  /** Answers every RCPT TO with `code` until reset. */
  failRcpt(code: number | null): void;
  /** Refuses every login (535) until reset. */
  refuseAuth(refuse: boolean): void;
  close(): Promise<void>;
}

const reply = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Starts an SMTP peer on 127.0.0.1 with a free port; login optional, `user`/`pass` accepted. */
export async function startSmtpPeer(credentials = { user: "shop", pass: "smtp-pass-5e1f" }): Promise<SmtpPeer> {
  let dataFailure: number | null = null;
  let rcptFailure: number | null = null;
  let authRefused = false;
  const received: SmtpPeer["received"] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (authRefused || auth.username !== credentials.user || auth.password !== credentials.pass)
        return callback(new Error("Invalid username or password"));
      callback(null, { user: auth.username });
    },
    onRcptTo(_address, _session, callback) {
      callback(rcptFailure ? reply(rcptFailure, "Recipient address rejected: User unknown") : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (dataFailure) {
          const code = dataFailure;
          dataFailure = null;
          return callback(reply(code, code < 500 ? "Greylisted, try again later" : "Message rejected as spam"));
        }
        received.push({
          raw: Buffer.concat(chunks),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : null,
        });
        callback(null, "Queued as TEST");
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    failNextData: (code) => {
      dataFailure = code;
    },
    failRcpt: (code) => {
      rcptFailure = code;
    },
    refuseAuth: (refuse) => {
      authRefused = refuse;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
