/**
 * The quickstart's default store is embedded PostgreSQL (PGlite): run its flows on it, twice,
 * as a newcomer does when they start the quickstart a second time.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { postgresStore } from "@storedesk/store-postgres";
import { emailDemo } from "./email.js";
import { inboxDemo } from "./inbox.js";
import { whatsappDemo } from "./whatsapp.js";

describe("quickstart on embedded PostgreSQL", () => {
  const opened: PGlite[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  // Six flows on PGlite take ~25 s alone and more beside the rest of the suite on 2 cores: a generous limit, no timing claim.
  it(
    "runs the email, WhatsApp and chat flows, then runs them again on the same data",
    { timeout: 180_000 },
    async () => {
      vi.spyOn(console, "log").mockImplementation(() => undefined);
      const db = await PGlite.create();
      opened.push(db);
      const store = postgresStore({ pglite: db });

      const email1 = await emailDemo(store);
      const wa1 = await whatsappDemo(store);
      const chat1 = await inboxDemo(store);
      expect(email1.acknowledgements).toBe(1);
      expect(wa1.windowRefusal?.code).toBe("REPLY_WINDOW_CLOSED");
      expect(wa1.templateReply.deliveryStatus).toBe("sent");
      expect(chat1.outcomes).toEqual(["created", "created", "created", "threaded", "duplicate"]);

      const email2 = await emailDemo(store);
      const wa2 = await whatsappDemo(store);
      const chat2 = await inboxDemo(store);
      expect(email2.outcomes[0]).toBe("follow_up");
      expect(wa2.followUp).toBe(true);
      expect(wa2.templateReply.deliveryStatus).toBe("sent");
      expect(chat2.outcomes.every((o) => o === "duplicate")).toBe(true);
    },
  );
});
