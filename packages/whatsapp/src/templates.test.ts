import { describe, expect, it } from "vitest";
import { z } from "zod";
import { StoredeskError } from "@storedesk/core";
import { defineTemplateRegistry } from "./index.js";

describe("defineTemplateRegistry", () => {
  it("accepts a zod schema that maps named inputs to body positions", () => {
    const registry = defineTemplateRegistry([
      {
        name: "delivery_eta",
        language: "ko",
        category: "utility",
        parameters: z.object({ order: z.string(), eta: z.string() }).transform((p) => ({ body: [p.order, p.eta] })),
      },
    ]);
    const resolved = registry.resolve({
      name: "delivery_eta",
      language: "ko",
      parameters: { order: "#7", eta: "내일" },
    });
    expect(resolved.payload).toEqual({
      name: "delivery_eta",
      language: { code: "ko" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "#7" },
            { type: "text", text: "내일" },
          ],
        },
      ],
    });
    expect(() => registry.resolve({ name: "delivery_eta", language: "ko", parameters: { order: "#7" } })).toThrow(
      StoredeskError,
    );
  });

  it("builds a media header and quick-reply / copy-code buttons", () => {
    const registry = defineTemplateRegistry([
      {
        name: "coupon",
        language: "en_US",
        category: "marketing",
        parameters: { body: 0, header: "image", buttons: ["quick_reply", "copy_code"] },
      },
    ]);
    const { payload } = registry.resolve({
      name: "coupon",
      language: "en_US",
      parameters: { header: { link: "https://cdn.example/c.png" }, buttons: ["STOP", "SORRY10"] },
    });
    expect(payload.components).toEqual([
      { type: "header", parameters: [{ type: "image", image: { link: "https://cdn.example/c.png" } }] },
      { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "STOP" }] },
      {
        type: "button",
        sub_type: "copy_code",
        index: "1",
        parameters: [{ type: "coupon_code", coupon_code: "SORRY10" }],
      },
    ]);
  });

  it("rejects a header given to a template without one and a text header for a media header", () => {
    const registry = defineTemplateRegistry([
      { name: "plain", language: "ko", category: "utility", parameters: { body: 1 } },
      { name: "pic", language: "ko", category: "utility", parameters: { body: 0, header: "image" } },
    ]);
    expect(() => registry.resolve({ name: "plain", language: "ko", parameters: { body: ["a"], header: "x" } })).toThrow(
      /no header/,
    );
    expect(() => registry.resolve({ name: "pic", language: "ko", parameters: { header: "x" } })).toThrow(
      /image header/,
    );
    expect(() =>
      registry.resolve({ name: "pic", language: "ko", parameters: { header: { link: "a", id: "b" } } }),
    ).toThrow(StoredeskError);
  });

  it("refuses duplicate and malformed definitions", () => {
    expect(() =>
      defineTemplateRegistry([
        { name: "a", language: "ko", category: "utility" },
        { name: "a", language: "ko", category: "utility" },
      ]),
    ).toThrow(/twice/);
    expect(() => defineTemplateRegistry([{ name: "Has Spaces", language: "ko", category: "utility" }])).toThrow(
      StoredeskError,
    );
  });

  it("suggests the first utility template", () => {
    const registry = defineTemplateRegistry([
      { name: "sale", language: "ko", category: "marketing" },
      { name: "followup", language: "ko", category: "utility" },
    ]);
    expect(registry.suggested()?.name).toBe("followup");
  });
});
