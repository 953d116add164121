import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { applyMacro, defineMacro } from "./macro.js";

const macro = defineMacro({
  id: "refund-done",
  title: "환불 완료",
  reply: {
    ko: "{{customer.name}}님, SD-{{ticket.number}} 환불이 완료되었습니다.",
    en: "Hi {{customer.name}}, your refund for SD-{{ticket.number}} is done.",
  },
  actions: [
    { type: "set_status", status: "solved" },
    { type: "add_tags", tags: ["refunded"] },
  ],
});
const vars = { customer: { name: "김민지" }, ticket: { number: 12 } };

describe("applyMacro", () => {
  it("renders the reply in the asked language, then lists the field changes", () => {
    expect(applyMacro(macro, vars, "ko")).toEqual([
      { type: "reply", body: { ko: "김민지님, SD-12 환불이 완료되었습니다." } },
      { type: "set_status", status: "solved" },
      { type: "add_tags", tags: ["refunded"] },
    ]);
    expect(applyMacro(macro, vars, "en")[0]).toEqual({
      type: "reply",
      body: { en: "Hi 김민지, your refund for SD-12 is done." },
    });
  });

  it("falls back to Korean for a language it has no text in", () => {
    expect(applyMacro(macro, vars, "ja")[0]).toEqual({
      type: "reply",
      body: { ko: "김민지님, SD-12 환불이 완료되었습니다." },
    });
  });

  it("refuses to render with a missing variable, and refuses non-field actions", () => {
    expect(() => applyMacro(macro, { ticket: { number: 1 } }, "ko")).toThrow(StoredeskError);
    expect(() => defineMacro({ id: "x", title: "x", actions: [{ type: "notify", url: "https://x.example" }] })).toThrow(
      /field changes/,
    );
  });
});
