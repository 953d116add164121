import { describe, expect, it } from "vitest";
import { renderTemplate, pickLocale } from "./render-template.js";
import type { Template } from "../domain/template.js";

const t: Template = {
  id: "wismo",
  name: "Where is my order",
  category: "shipping",
  locales: {
    ko: {
      subject: "주문 {{order.name}} 배송 안내",
      body: "{{customer.name|고객}}님, 주문 {{order.name}}은 {{tracking.carrier}}로 배송 중입니다: {{tracking.url}}",
    },
    en: {
      subject: null,
      body: "Hi {{customer.name|there}}, order {{order.name}} ships with {{tracking.carrier}}: {{tracking.url}}",
    },
  },
};
const vars = {
  customer: { name: "김민수" },
  order: { name: "#1001" },
  tracking: { carrier: "CJ대한통운", url: "https://trace.example/1" },
};

describe("renderTemplate", () => {
  it("substitutes nested variables", () => {
    const r = renderTemplate(t, vars, "ko");
    expect(r).toEqual({
      locale: "ko",
      subject: "주문 #1001 배송 안내",
      body: "김민수님, 주문 #1001은 CJ대한통운로 배송 중입니다: https://trace.example/1",
    });
  });
  it("falls back across locales: ko-KR → ko, ja → ko then en", () => {
    expect(renderTemplate(t, vars, "ko-KR").locale).toBe("ko");
    expect(renderTemplate(t, vars, "en-GB").locale).toBe("en");
    expect(renderTemplate(t, vars, "ja").locale).toBe("ko");
    expect(renderTemplate(t, vars, "ja", { fallbacks: ["en"] }).locale).toBe("en");
    expect(pickLocale([], "ko")).toBeNull();
  });
  it("uses defaults and names every missing variable", () => {
    expect(renderTemplate(t, { ...vars, customer: {} }, "en").body).toMatch(/^Hi there,/);
    expect(() => renderTemplate(t, { customer: {} }, "en")).toThrow(/order\.name, tracking\.carrier, tracking\.url/);
    expect(renderTemplate(t, {}, "en", { onMissing: "empty" }).body).toBe("Hi there, order  ships with : ");
  });
  it("escapes values for HTML when asked", () => {
    expect(renderTemplate(t, { ...vars, customer: { name: "<b>Kim</b>" } }, "en", { escapeHtml: true }).body).toContain(
      "&#60;b&#62;Kim",
    );
  });
});
