import { describe, expect, it } from "vitest";
import { defineDeskPlugin, type AnyDeskPlugin } from "../../ports/desk-plugin.js";
import { StoredeskError } from "../../errors.js";
import { pluginTestDesk } from "../../testing/plugin-kit.js";

describe("desk plugins", () => {
  it("runs the built-in features as plugins, in hook order", async () => {
    const kit = await pluginTestDesk({ plugins: [] });
    expect(kit.desk.plugins).toEqual(["complaint", "auto-close", "sla", "auto-acknowledge"]);
  });

  it("turns a built-in off through options (no SLA on the ticket, no acknowledgement)", async () => {
    const kit = await pluginTestDesk({ plugins: [], options: { builtins: { sla: false }, autoAcknowledge: false } });
    const { ticket } = await kit.message("배송 언제 와요?");
    expect(ticket?.sla).toBeNull();
    expect(kit.chat.sent).toHaveLength(0);
    expect(await kit.store.listJobs()).toEqual([]);
  });

  it("replaces a built-in by a plugin with its id", async () => {
    const flatSla = defineDeskPlugin({
      specVersion: 1,
      id: "sla",
      hooks: { ticketSaving: () => ({ ticket: { meta: { sla: "flat" } } }) },
    });
    const kit = await pluginTestDesk({ plugins: [flatSla], options: { autoAcknowledge: false } });
    const { ticket } = await kit.message("hello");
    expect(kit.desk.plugins.filter((id) => id === "sla")).toHaveLength(1);
    expect(ticket).toMatchObject({ sla: null, meta: { sla: "flat" } });
  });

  it("applies a hook's decision inside the stage's transaction: a failing hook leaves nothing written", async () => {
    const broken = defineDeskPlugin({
      specVersion: 1,
      id: "broken",
      hooks: {
        async ticketCreated({ records }) {
          await records.put({ namespace: "seen", key: "k", value: 1 });
          throw new StoredeskError({ code: "INTERNAL", message: "plugin failed" });
        },
      },
    });
    const kit = await pluginTestDesk({ plugins: [broken] });
    await expect(kit.message("hello")).rejects.toMatchObject({ code: "INTERNAL" });
    expect(await kit.store.listTickets({})).toEqual([]);
    expect(await kit.store.listRecords("broken.seen")).toEqual([]);
    expect(kit.chat.sent).toHaveLength(0);
  });

  it("lets a customerMessage hook change the ticket and schedule its own job, which runDue hands to it", async () => {
    const ran: string[] = [];
    const nudge = defineDeskPlugin({
      specVersion: 1,
      id: "nudge",
      hooks: {
        customerMessage: ({ ticket, now }) => ({
          ticket: { tags: [...ticket.tags, "nudged"] },
          events: [{ type: "plugin.nudge.planned", data: {} }],
          effects: [
            {
              type: "schedule",
              job: {
                key: `nudge:${ticket.id}`,
                type: "nudge.remind",
                ticketId: ticket.id,
                runAt: new Date(now.getTime() + 60_000),
                payload: { n: 1 },
              },
            },
          ],
        }),
      },
      jobs: {
        "nudge.remind": async ({ job }) => {
          ran.push(`${job.ticketId}:${String(job.payload.n)}`);
        },
      },
    });
    const kit = await pluginTestDesk({ plugins: [nudge], options: { autoAcknowledge: false } });
    const first = await kit.message("hello");
    const second = await kit.message("are you there?");
    expect(second.ticket?.tags).toContain("nudged");
    expect((await kit.desk.listEvents(first.ticket!.id)).map((e) => e.type)).toContain("plugin.nudge.planned");
    kit.clock.advance(2 * 60_000);
    await kit.desk.runDue();
    expect(ran).toEqual([`${first.ticket!.id}:1`]);
  });

  it("refuses a message a beforeSend hook cancels, before anything leaves", async () => {
    const quiet = defineDeskPlugin({
      specVersion: 1,
      id: "quiet",
      hooks: { beforeSend: ({ text }) => (text.includes("secret") ? { cancel: "contains a secret" } : undefined) },
    });
    const kit = await pluginTestDesk({ plugins: [quiet], options: { autoAcknowledge: false } });
    const { ticket } = await kit.message("hello");
    await expect(kit.desk.reply(ticket!.id, { text: "the secret code", agentId: "kim" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      details: { plugin: "quiet" },
    });
    expect(kit.chat.sent).toHaveLength(0);
    await kit.desk.reply(ticket!.id, { text: "hello there", agentId: "kim" });
    expect(kit.chat.sent).toHaveLength(1);
  });

  it("lets afterClassify correct the classification", async () => {
    const always = defineDeskPlugin({
      specVersion: 1,
      id: "always-refund",
      hooks: { afterClassify: ({ classification }) => ({ ...classification, category: "refund_exchange" }) },
    });
    const kit = await pluginTestDesk({ plugins: [always], options: { autoAcknowledge: false } });
    expect((await kit.message("배송 언제 와요?")).ticket?.category).toBe("refund_exchange");
  });

  it("refuses a plugin written for another contract version, a bad id or a duplicate id", async () => {
    await expect(
      pluginTestDesk({ plugins: [{ specVersion: 2, id: "future" } as unknown as AnyDeskPlugin] }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(pluginTestDesk({ plugins: [{ specVersion: 1, id: "Bad Id" }] })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(
      pluginTestDesk({
        plugins: [
          { specVersion: 1, id: "twin" },
          { specVersion: 1, id: "twin" },
        ],
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("keeps each plugin's records in its own namespace", async () => {
    const writer = defineDeskPlugin({
      specVersion: 1,
      id: "writer",
      methods: ({ records }) => ({ put: (v: number) => records.put({ namespace: "notes", key: "a", value: v }) }),
    });
    const reader = defineDeskPlugin({
      specVersion: 1,
      id: "reader",
      methods: ({ records }) => ({ get: () => records.get("notes", "a") }),
    });
    const kit = await pluginTestDesk({ plugins: [writer, reader] });
    await kit.desk.writer.put(7);
    expect(await kit.desk.reader.get()).toBeNull();
    expect((await kit.store.getRecord("writer.notes", "a"))?.value).toBe(7);
  });
});
