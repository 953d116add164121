import { expect } from "vitest";
import { runPluginTest } from "@storedesk/core/testing";
import { firstContactPlugin } from "./first-contact-plugin.js";

runPluginTest(
  "the first-contact plugin thanks a customer once, after the acknowledgement",
  { plugins: [firstContactPlugin()] },
  async (kit) => {
    const thanked: string[] = [];
    kit.desk.on("plugin.first-contact.thanked", ({ customerId }) => thanked.push(String(customerId)));
    const first = await kit.message("배송 언제 와요?", { name: "김민수" });
    expect(kit.chat.sent.map((m) => m.text)).toEqual([
      expect.stringContaining("접수"),
      "김민수님, 처음 문의해 주셔서 감사합니다. 빠르게 도와드리겠습니다.",
    ]);
    expect(await kit.desk["first-contact"].wasThanked(first.ticket!.customerId)).toBe(true);
    expect(thanked).toEqual([first.ticket!.customerId]);
    await kit.message("another question", { conversation: "chat-2" });
    expect(kit.chat.sent.filter((m) => m.text.includes("감사합니다"))).toHaveLength(1); // the second ticket is only acknowledged
  },
);

runPluginTest(
  "the first-contact plugin marks a VIP's new ticket high priority and tags it",
  { plugins: [firstContactPlugin()], options: { autoAcknowledge: false } },
  async (kit) => {
    const first = await kit.message("hello");
    const customer = (await kit.desk.getCustomer(first.ticket!.customerId))!;
    await kit.store.updateCustomer({ ...customer, attributes: { vip: true } });
    const second = await kit.message("where is my order?", { conversation: "chat-2" });
    expect(second.ticket).toMatchObject({ priority: "high", tags: expect.arrayContaining(["vip"]) });
    expect((await kit.desk.listEvents(second.ticket!.id)).map((e) => e.type)).toContain("plugin.first-contact.vip");
  },
);
