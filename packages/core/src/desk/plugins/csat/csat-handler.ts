/**
 * `desk.csat.handler()`: the Web handler behind the e-mail survey's one-click rating links
 * (`GET ?token=…`) and its optional comment form (`POST token, comment`). Each link works once,
 * until it expires; pages in Korean or English by the customer's language.
 */
import { StoredeskError } from "../../../errors.js";
import type { PluginRecords } from "../../../ports/desk-plugin.js";
import { answeredRecord } from "./answer-survey.js";
import type { CsatOptions, SurveyRecord } from "./csat-options.js";
import type { CsatDesk } from "./send-survey-job.js";
import { surveyLocale, surveyPage, type PageKind } from "./survey-text.js";
import { signSurveyToken, verifySurveyToken } from "./survey-token.js";

function page(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "content-security-policy": "default-src 'none'; form-action 'self'",
      "x-frame-options": "DENY",
    },
  });
}

const STATUS: Record<PageKind, number> = { thanks: 200, commented: 200, already: 409, expired: 410, invalid: 400 };

/**
 * Builds the rating-link handler of a CSAT plugin.
 *
 * @example
 * app.all("/csat", (c) => desk.csat.handler()(c.req.raw));
 */
export function csatHandler(
  desk: () => CsatDesk,
  records: PluginRecords,
  options: CsatOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const locale = surveyLocale(request.headers.get("accept-language"));
    const show = (kind: PageKind, lang = locale, form?: { action: string; token: string }) =>
      page(STATUS[kind], surveyPage(lang, kind, form));
    if (!options.secret) return show("invalid");
    const url = new URL(request.url);
    let token: string | null = url.searchParams.get("token");
    let comment: string | null = null;
    if (request.method === "POST") {
      const form = new URLSearchParams((await request.text()).slice(0, 20_000));
      token = form.get("token");
      comment = (form.get("comment") ?? "").trim().slice(0, 5000) || null;
    } else if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method Not Allowed", { status: 405, headers: { allow: "GET, POST" } });
    }
    const now = desk().clock.now();
    const check = verifySurveyToken(token, options.secret, now);
    if (!check.ok) return show(check.reason === "expired" ? "expired" : "invalid");
    const { ticketId, rating } = check.payload;
    const found = await records.get("surveys", ticketId);
    const record = found?.value as SurveyRecord | undefined;
    if (!found || !record) return show("invalid");
    const lang = surveyLocale(record.locale);

    if (request.method === "POST") {
      if (!check.payload.comment) return show("invalid", lang);
      if (record.state !== "answered" || record.comment !== null) return show("already", lang);
      if (!comment) return show("thanks", lang);
      try {
        await records.put({ namespace: "surveys", key: ticketId, value: { ...record, comment } }, found.version);
      } catch (e) {
        if (StoredeskError.is(e, "CONFLICT")) return show("already", lang);
        throw e;
      }
      await desk().decide(
        ticketId,
        () => ({
          events: [
            {
              type: "csat.commented",
              data: { ticketId, rating: record.rating, comment },
              actor: { kind: "customer", id: record.customerId },
            },
          ],
          effects: [
            { type: "emit", event: "plugin.csat.commented", data: { ticketId, rating: record.rating, comment } },
          ],
        }),
        { kind: "customer", id: record.customerId },
      );
      return show("commented", lang);
    }

    // HEAD (link scanners of mail providers) must not spend the single use.
    if (rating === undefined || request.method === "HEAD")
      return show(rating === undefined ? "invalid" : "thanks", lang);
    if (record.state !== "sent") return show("already", lang);
    const { value, data } = answeredRecord(record, rating, null, record.channel, now);
    try {
      // Compare-and-set: of two clicks at once, one records the answer.
      await records.put({ namespace: "surveys", key: ticketId, value }, found.version);
    } catch (e) {
      if (StoredeskError.is(e, "CONFLICT")) return show("already", lang);
      throw e;
    }
    await desk().decide(
      ticketId,
      () => ({
        events: [{ type: "csat.received", data, actor: { kind: "customer", id: record.customerId } }],
        effects: [{ type: "emit", event: "plugin.csat.received", data }],
      }),
      { kind: "customer", id: record.customerId },
    );
    const commentToken = signSurveyToken(
      { ticketId, comment: true, expiresAt: check.payload.expiresAt },
      options.secret,
    );
    return show("thanks", lang, { action: url.pathname, token: commentToken });
  };
}
