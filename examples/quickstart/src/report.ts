/**
 * Measurement, after the other flows: a CSAT survey answered on WhatsApp (a button tap, sent to a
 * mocked Cloud API), then a small report over everything the store holds — volume by category,
 * first reply median, SLA attainment, CSAT — with times in the shop's zone (Asia/Seoul). On the
 * quickstart's PGlite the report is aggregated in SQL; on `--memory` from the loaded audit logs.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import {
  createDesk,
  csatPlugin,
  manualClock,
  reportsPlugin,
  signHmac,
  surveyButtonId,
  type Report,
  type Store,
} from "@storedesk/core";
import { whatsappChannel } from "@storedesk/whatsapp";
import { section } from "./print.js";

/** What {@link reportDemo} did, for its test. */
export interface ReportDemoSummary {
  survey: { sent: boolean; rating: number | null; ticketStatus: string };
  source: "store" | "memory";
  report: Report;
}

const SHOP_ZONE = "Asia/Seoul";
const APP_SECRET = "demo-app-secret";
const ACCESS_TOKEN = "demo-system-user-token";
const PHONE_NUMBER_ID = "106540352242922";
const GRAPH = "https://graph.facebook.com/v21.0";
/** The customer's WhatsApp number in the first run; each later run on a kept store has its own. */
const WA_ID = "821055501234";

function signed(value: Record<string, unknown>): Request {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  });
  return new Request("https://shop.example/webhooks/whatsapp", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": `sha256=${signHmac(body, APP_SECRET, "hex")}`,
    },
  });
}

const minutes = (ms: number | null) => (ms === null ? "—" : `${(ms / 60_000).toFixed(1)} min`);
const percent = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);

/**
 * Runs the survey on WhatsApp against `store`, then prints the report over the whole store.
 *
 * @example
 * await reportDemo(memoryStore());
 */
export async function reportDemo(store: Store): Promise<ReportDemoSummary> {
  const clock = manualClock(new Date("2026-03-02T14:00:00+09:00"));
  section("Measured: a CSAT survey answered on WhatsApp, then a small report", { store, clock });
  // Each run on a kept store is a new customer (a number of its own): the scenario's clock starts
  // at the same time every run, and an old customer's solved, surveyed ticket would be reopened
  // by a message from before its own survey.
  let waId = WA_ID;
  const graph = setupServer(
    http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      return HttpResponse.json({
        messaging_product: "whatsapp",
        contacts: [{ input: waId, wa_id: waId }],
        messages: [{ id: `wamid.csat-${String(body.type)}-${Date.now()}-${Math.random()}` }],
      });
    }),
  );
  graph.listen({ onUnhandledRequest: "error" });
  try {
    const whatsapp = whatsappChannel({
      accessToken: ACCESS_TOKEN,
      appSecret: APP_SECRET,
      verifyToken: "demo-verify-token",
      phoneNumberId: PHONE_NUMBER_ID,
      clock,
    });
    const desk = createDesk({
      outbox: { wait: "sent" },
      store,
      clock,
      channels: [whatsapp],
      shop: { name: "달빛상점", timeZone: SHOP_ZONE },
      plugins: [csatPlugin({ delayHours: { default: 24, whatsapp: 2 } }), reportsPlugin({ timeZone: SHOP_ZONE })],
    });
    const webhook = desk.webhook("whatsapp");
    // Each run's messages need their own wamids on a persistent store (or they are redeliveries).
    let run = 1;
    while (await desk.findCustomer({ kind: "whatsapp", value: waId })) {
      run += 1;
      waId = String(Number(WA_ID) + run - 1);
    }
    const at = () => String(Math.floor(clock.now().getTime() / 1000));

    await webhook(
      signed({
        contacts: [{ profile: { name: "박서연" }, wa_id: waId }],
        messages: [
          {
            from: waId,
            id: `wamid.csat-r${run}-in-1`,
            timestamp: at(),
            type: "text",
            text: { body: "배송지 주소를 바꾸고 싶어요" },
          },
        ],
      }),
    );
    const customer = await desk.findCustomer({ kind: "whatsapp", value: waId });
    const ticket = (await desk.listTickets({ customerId: customer!.id })).find(
      (t) => t.status !== "closed" && t.status !== "solved",
    )!;
    clock.advance(12 * 60_000);
    await desk.reply(ticket.id, {
      text: "주소 변경해 드렸습니다. 감사합니다!",
      agentId: "agent-jiwon",
      status: "solved",
    });
    console.log(`1. SD-${ticket.number} solved by agent-jiwon; the survey is due 2 h later (WhatsApp's delay)`);

    clock.advance(2 * 3_600_000 + 60_000);
    await desk.runDue();
    const sent = (await desk.csat.survey(ticket.id))?.state === "sent";
    console.log(
      `2. 2 h later the scheduler sends the survey with five buttons (inside the 24-hour window) → ${sent ? "sent" : "not sent"}`,
    );

    clock.advance(5 * 60_000);
    await webhook(
      signed({
        contacts: [{ profile: { name: "박서연" }, wa_id: waId }],
        messages: [
          {
            from: waId,
            id: `wamid.csat-r${run}-in-2`,
            timestamp: at(),
            type: "interactive",
            interactive: {
              type: "button_reply",
              button_reply: { id: surveyButtonId(ticket.id, 5), title: "5 매우 만족" },
            },
          },
        ],
      }),
    );
    const survey = await desk.csat.survey(ticket.id);
    const after = await desk.getTicket(ticket.id);
    console.log(
      `3. the customer taps "5 매우 만족" → csat.received (rating ${survey?.rating}, agent ${survey?.agentId}, category ${survey?.category}); the ticket stays ${after.status}`,
    );

    const report = await desk.reports.compute({});
    console.log(
      `\nReport over the whole store (${desk.reports.source === "store" ? "aggregated in SQL" : "computed from the loaded audit logs"}), times in ${report.timeZone}:`,
    );
    console.log(
      `   tickets: ${report.tickets}; by category: ${Object.entries(report.volume.byCategory)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")}`,
    );
    const busiest = report.volume.byHour.indexOf(Math.max(...report.volume.byHour));
    console.log(
      `   busiest hour (${report.timeZone}): ${String(busiest).padStart(2, "0")}:00–${String(busiest).padStart(2, "0")}:59`,
    );
    console.log(
      `   first reply median: ${minutes(report.firstReply.medianMs)} (p90 ${minutes(report.firstReply.p90Ms)}, ${report.firstReply.count} replied tickets)`,
    );
    for (const s of report.sla)
      console.log(
        `   SLA ${s.metric} (${s.policyId ?? "—"}): ${percent(s.rate)} attained (${s.attained} of ${s.attained + s.breached})`,
      );
    console.log(
      `   CSAT: ${percent(report.csat.score)} satisfied (4–5) of ${report.csat.responses} answers; response rate ${percent(report.csat.responseRate)} of ${report.csat.sent} surveys`,
    );
    await desk.close();
    return {
      survey: { sent, rating: survey?.rating ?? null, ticketStatus: after.status },
      source: desk.reports.source,
      report,
    };
  } finally {
    graph.close();
  }
}
