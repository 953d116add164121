/**
 * Agent sign-in: passwords hashed with bcryptjs, a random session id in an HttpOnly,
 * SameSite=Strict cookie, and a per-session CSRF token every state-changing API call must echo
 * in `X-CSRF-Token` (SameSite alone does not cover older browsers or same-site subdomains).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import bcrypt from "bcryptjs";
import { StoredeskError } from "@storedesk/core";

/** The roles of the inbox: `agent` answers, `lead` also assigns anyone and approves within a lead's limits, `admin` all. */
export type Role = "agent" | "lead" | "admin";

/** An agent account. */
export interface AgentAccount {
  id: string;
  name: string;
  email: string;
  role: Role;
  passwordHash: string;
}

/** A signed-in agent's session. */
export interface AgentSession {
  id: string;
  agent: Omit<AgentAccount, "passwordHash">;
  csrfToken: string;
  expiresAt: number;
}

/** Cookie name of the agent session. */
export const SESSION_COOKIE = "sd_agent";

/**
 * Hashes a password (bcrypt, cost 10).
 *
 * @example
 * const passwordHash = await hashPassword("demo1234");
 */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, 10);
}

/**
 * The session store and checks. In memory: sessions end with the process (the demo's choice;
 * put them in a shared store to run several instances).
 *
 * @example
 * const auth = agentAuth(accounts);
 * const session = await auth.login("sora@mocha.example", "demo1234");
 */
export function agentAuth(accounts: AgentAccount[], ttlMs = 12 * 3_600_000) {
  const sessions = new Map<string, AgentSession>();
  const refused = () =>
    new StoredeskError({ code: "SIGNATURE_INVALID", message: "Wrong email or password", path: ["password"] });
  // A fixed hash to compare against when the email is unknown, so timing does not tell which emails exist.
  const dummy = bcrypt.hashSync("not-a-password", 10);
  return {
    accounts,
    async login(email: string, password: string): Promise<AgentSession> {
      const account = accounts.find((a) => a.email.toLowerCase() === email.trim().toLowerCase());
      const ok = await bcrypt.compare(password, account?.passwordHash ?? dummy);
      if (!account || !ok) throw refused();
      const { passwordHash: _omit, ...agent } = account;
      const session: AgentSession = {
        id: randomBytes(32).toString("base64url"),
        agent,
        csrfToken: randomBytes(24).toString("base64url"),
        expiresAt: Date.now() + ttlMs,
      };
      sessions.set(session.id, session);
      return session;
    },
    logout(id: string | undefined): void {
      if (id) sessions.delete(id);
    },
    /** The live session of a cookie value, or null. */
    session(id: string | undefined): AgentSession | null {
      const s = id ? sessions.get(id) : undefined;
      if (!s) return null;
      if (s.expiresAt <= Date.now()) {
        sessions.delete(s.id);
        return null;
      }
      return s;
    },
    /** Whether the request's CSRF header matches the session's token (timing-safe). */
    csrfOk(session: AgentSession, header: string | undefined): boolean {
      if (!header) return false;
      const a = Buffer.from(header);
      const b = Buffer.from(session.csrfToken);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    /** How many agents are signed in now (the chat says "a person answers soon" only then). */
    signedIn(): number {
      const now = Date.now();
      return [...sessions.values()].filter((s) => s.expiresAt > now).length;
    },
  };
}

/** The agent auth made by {@link agentAuth}. */
export type AgentAuth = ReturnType<typeof agentAuth>;
