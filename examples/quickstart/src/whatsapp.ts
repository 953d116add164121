/**
 * WhatsApp, end to end against a mocked Cloud API: a signed webhook opens a
 * ticket, the agent answers inside the 24-hour customer service window, Meta's
 * `read` receipt updates the stored message, and a day later a free-form
 * reply is refused (REPLY_WINDOW_CLOSED, naming the template to use), so the
 * agent sends the approved template instead.
 *
 * graph.facebook.com is mocked with msw: nothing leaves the machine. The
 * mock answers the way the Cloud API documents (`POST /{phone-number-id}/messages`
 * → `{ messages: [{ id: "wamid…" }] }`) and checks the bearer token.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { createDesk, manualClock, signHmac, StoredeskError, type Store } from "@storedesk/core";
import { categoryWords, section, shopTime, statusWords } from "./print.js";
import { defineTemplateRegistry, whatsappChannel } from "@storedesk/whatsapp";

/** What {@link whatsappDemo} did, for the quickstart test. */
export interface WhatsAppDemoSummary {
  ticketNumber: number;
  /** What the classifier made of the customer's message. */
  category: string;
  /** HTTP status the webhook answered: a forged signature, then Meta's signed delivery. */
  webhookStatus: { forged: number; signed: number; receipt: number };
  /** Tickets this run's conversation opened (one; a rerun on a persistent store opens a follow-up). */
  ticketsOpened: number;
  /** Whether the ticket follows up an earlier run's closed ticket. */
  followUp: boolean;
  /** Message types posted to the Graph API, in order (`text` for the acknowledgement and the reply, `template` last). */
  graphSends: string[];
  /** The agent's in-window reply: its wamid and the delivery status after the `read` receipt. */
  agentReply: { wamid: string | null; deliveryStatus: string };
  /** The refusal of the free-form reply after 24 h. */
  windowRefusal: { code: string; suggestedTemplate: unknown } | null;
  /** The refusal of a template sent with the wrong parameters (nothing reached the API). */
  invalidTemplate: { code: string } | null;
  /** The template message that went out instead. */
  templateReply: { wamid: string | null; name: string | null; deliveryStatus: string };
}

// Demo credentials: in a shop they come from the environment and never appear in logs.
const APP_SECRET = "demo-app-secret";
const ACCESS_TOKEN = "demo-system-user-token";
const PHONE_NUMBER_ID = "106540352242922";
const GRAPH = "https://graph.facebook.com/v21.0";
const CUSTOMER = { waId: "821012345678", name: "김민지", text: "어제 주문한 원피스 옵션 변경 가능한가요? M → L 로요." };

/** A Cloud API webhook body, in the shape Meta posts it. */
function webhookBody(value: Record<string, unknown>): string {
  return JSON.stringify({
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
}

const unixSeconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

/** A webhook POST signed the way Meta signs it: HMAC-SHA256 of the raw body with the app secret. */
function metaPost(body: string, secret = APP_SECRET): Request {
  return new Request("https://shop.example/webhooks/whatsapp", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signHmac(body, secret, "hex")}` },
  });
}

/**
 * Runs the WhatsApp conversation against `store` and prints each step.
 * The msw server it starts is closed before it returns.
 */
export async function whatsappDemo(store: Store): Promise<WhatsAppDemoSummary> {
  const clock = manualClock(new Date("2026-03-02T09:00:00+09:00"));
  section("WhatsApp Cloud API (graph.facebook.com mocked with msw): the 24-hour window, a template instead", {
    store,
    clock,
    why: "Monday morning; the scenario then moves a day on to close the window",
  });

  // The mocked Cloud API: records every send and answers with a wamid.
  const graphSends: Array<Record<string, unknown>> = [];
  let run = 1;
  const graph = setupServer(
    http.post(`${GRAPH}/${PHONE_NUMBER_ID}/messages`, async ({ request }) => {
      if (request.headers.get("authorization") !== `Bearer ${ACCESS_TOKEN}`) {
        return HttpResponse.json(
          { error: { message: "Invalid OAuth access token", type: "OAuthException", code: 190 } },
          { status: 401 },
        );
      }
      graphSends.push((await request.json()) as Record<string, unknown>);
      const wamid = `wamid.HBgM${Buffer.from(`${CUSTOMER.waId}-r${run}-out-${graphSends.length}`).toString("base64")}`;
      return HttpResponse.json({
        messaging_product: "whatsapp",
        contacts: [{ input: CUSTOMER.waId, wa_id: CUSTOMER.waId }],
        messages: [{ id: wamid }],
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
      // The templates Meta approved for this number; template sends are checked against it before they leave.
      templates: defineTemplateRegistry([
        { name: "support_followup", language: "ko", category: "utility", parameters: { body: 2 } }, // "{{1}}님, 문의하신 {{2}} 건 …"
      ]),
    });
    const desk = createDesk({
      outbox: { wait: "sent" },
      store,
      clock,
      channels: [whatsapp],
      shop: { name: "달빛상점" },
    });
    // With a persistent store (the quickstart's PGlite) the customer is known from earlier runs:
    // each run's messages get their own wamids, or the desk would take them for redeliveries.
    const known = await desk.findCustomer({ kind: "whatsapp", value: CUSTOMER.waId });
    run = known ? (await desk.listTickets({ customerId: known.id })).length + 1 : 1;
    const webhook = desk.webhook("whatsapp");

    // 1. The customer's message arrives as a signed webhook (a forged one is refused first).
    const inbound = webhookBody({
      contacts: [{ profile: { name: CUSTOMER.name }, wa_id: CUSTOMER.waId }],
      messages: [
        {
          from: CUSTOMER.waId,
          id: `wamid.HBgM${Buffer.from(`${CUSTOMER.waId}-r${run}-in-1`).toString("base64")}`,
          timestamp: unixSeconds(clock.now()),
          type: "text",
          text: { body: CUSTOMER.text },
        },
      ],
    });
    const customerWroteAt = clock.now();
    const forged = await webhook(metaPost(inbound, "not-the-app-secret"));
    console.log(`\n1. webhook with a forged X-Hub-Signature-256 → ${forged.status}`);
    const signed = await webhook(metaPost(inbound));
    const customer = await desk.findCustomer({ kind: "whatsapp", value: CUSTOMER.waId });
    const tickets = customer ? await desk.listTickets({ customerId: customer.id }) : [];
    const ticket = tickets.find((t) => t.status !== "closed"); // earlier runs' tickets are closed
    if (!ticket) throw new Error("the webhook opened no ticket");
    const due = ticket.sla?.metrics.find((m) => m.metric === "first_reply")?.dueAt ?? null;
    console.log(`   signed webhook → ${signed.status}; ${customer?.name} (+${CUSTOMER.waId}): "${CUSTOMER.text}"`);
    console.log(
      `   SD-${ticket.number} opened${ticket.followUpOf ? " (a follow-up ticket of the last run's)" : ""}: ${categoryWords(ticket.category)}, priority ${ticket.priority}, first reply due ${due ? shopTime(due) : "—"}`,
    );
    console.log(
      `   auto-acknowledgement sent as a WhatsApp text: "${String((graphSends[0]?.text as { body?: string } | undefined)?.body ?? "").split("\n")[0]}…"`,
    );

    // 2. The agent answers inside the 24-hour window.
    clock.advance(20 * 60_000);
    const reply = await desk.reply(ticket.id, {
      text: "김민지 고객님, 아직 출고 전이라 L 사이즈로 변경해 드렸습니다.",
      agentId: "agent-jiwon",
    });
    console.log(`\n2. agent-jiwon replies 20 min later → ${reply.deliveryStatus}, wamid ${reply.externalId}`);

    // 3. Meta reports that the customer read it.
    clock.advance(5 * 60_000);
    const receipt = await webhook(
      metaPost(
        webhookBody({
          statuses: [
            { id: reply.externalId, status: "read", timestamp: unixSeconds(clock.now()), recipient_id: CUSTOMER.waId },
          ],
        }),
      ),
    );
    const readStatus = (await desk.listMessages(ticket.id)).find((m) => m.id === reply.id)?.deliveryStatus ?? "unknown";
    console.log(`\n3. status webhook "read" → ${receipt.status}; the stored reply is now "${readStatus}"`);

    // 4. A day later the customer service window has closed: free text is refused before anything is sent.
    clock.advance(24 * 3_600_000);
    const sendsBefore = graphSends.length;
    let windowRefusal: WhatsAppDemoSummary["windowRefusal"] = null;
    try {
      await desk.reply(ticket.id, { text: "변경하신 L 사이즈가 오늘 출고되었습니다.", agentId: "agent-jiwon" });
    } catch (err) {
      if (!StoredeskError.is(err, "REPLY_WINDOW_CLOSED")) throw err;
      windowRefusal = { code: err.code, suggestedTemplate: err.details?.suggestedTemplate ?? null };
      // WhatsApp's window: 24 h from the customer's last message.
      const closedAt = new Date(customerWroteAt.getTime() + 24 * 3_600_000);
      console.log(
        `\n4. ${shopTime(clock.now())}, a free-form reply is refused before it is sent: ${err.code} (the window closed ${shopTime(closedAt)}); suggested template "${String(err.details?.suggestedTemplate)}"`,
      );
    }

    // 5. The template registry checks parameters before the API sees them…
    const templateName =
      typeof windowRefusal?.suggestedTemplate === "string" ? windowRefusal.suggestedTemplate : "support_followup";
    let invalidTemplate: WhatsAppDemoSummary["invalidTemplate"] = null;
    try {
      await desk.reply(ticket.id, {
        text: "출고 안내",
        agentId: "agent-jiwon",
        template: { name: templateName, language: "ko", parameters: { body: ["김민지"] } },
      });
    } catch (err) {
      if (!StoredeskError.is(err, "INVALID_INPUT")) throw err;
      invalidTemplate = { code: err.code };
      console.log(`\n5. "${templateName}" with 1 of its 2 parameters → ${err.code} (${err.message.split("\n")[0]})`);
    }

    // 6. …and the complete template goes out.
    const viaTemplate = await desk.reply(ticket.id, {
      text: `${CUSTOMER.name}님, 문의하신 SD-${ticket.number} 건이 출고되었습니다.`,
      agentId: "agent-jiwon",
      template: { name: templateName, language: "ko", parameters: { body: [CUSTOMER.name, `SD-${ticket.number}`] } },
    });
    const templatePosted = graphSends.at(-1)?.template as { name?: string } | undefined;
    console.log(
      `\n6. template "${templateName}" (${CUSTOMER.name}, SD-${ticket.number}) → ${viaTemplate.deliveryStatus}, wamid ${viaTemplate.externalId}`,
    );
    console.log(
      `   Graph API calls: ${graphSends.map((s) => String(s.type)).join(", ")} (${graphSends.length - sendsBefore} after the window closed)`,
    );

    // 7. Done: the agent solves and closes the ticket. The customer's next message opens a follow-up ticket.
    // (The desk closes solved tickets by itself after 96 h without a customer reply; here the agent does it now.)
    await desk.setStatus(ticket.id, "solved", { agentId: "agent-jiwon" });
    const closed = await desk.setStatus(ticket.id, "closed", { agentId: "agent-jiwon" });
    console.log(`\n7. agent-jiwon solves and closes SD-${ticket.number} → ${statusWords(closed.status)}`);

    return {
      ticketNumber: ticket.number,
      category: ticket.category,
      followUp: ticket.followUpOf !== null,
      webhookStatus: { forged: forged.status, signed: signed.status, receipt: receipt.status },
      ticketsOpened: tickets.length - (run - 1),
      graphSends: graphSends.map((s) => String(s.type)),
      agentReply: { wamid: reply.externalId, deliveryStatus: readStatus },
      windowRefusal,
      invalidTemplate,
      templateReply: {
        wamid: viaTemplate.externalId,
        name: templatePosted?.name ?? null,
        deliveryStatus: viaTemplate.deliveryStatus,
      },
    };
  } finally {
    graph.close();
  }
}
