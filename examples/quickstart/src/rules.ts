/**
 * Rules and routing: a trigger sends a Korean refund request to the refunds team, routing gives
 * it to the least-loaded Korean-speaking agent there, a ticket that finds everyone full waits in
 * the queue and is assigned the moment an agent frees up, and the default 48-hour pending
 * reminder goes out in the customer's language. The refund decision is the lead's (the action
 * plan's `decisionMaker`): an agent's approval request, approved once. Macros are found with the
 * knowledge package's Korean analysis.
 */
import {
  createDesk,
  manualClock,
  routingPlugin,
  rulesPlugin,
  type InboundEventInput,
  type Store,
} from "@storedesk/core";
import { memoryChannel } from "@storedesk/core/testing";
import { analyze } from "@storedesk/knowledge";
import { section } from "./print.js";

const ZONE = "Asia/Seoul";
const HOUR = 3_600_000;
const WEEKDAY = [{ start: "09:00", end: "18:00" }];

/** A time in the shop's zone, with the zone named. */
function shopTime(at: Date): string {
  const text = new Intl.DateTimeFormat("ko-KR", {
    timeZone: ZONE,
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
  }).format(at);
  return `${text} (${ZONE})`;
}

/** What the demo ends with; the test asserts on it. */
export interface RulesDemoSummary {
  first: { team: string | null; assignee: string | null };
  assignees: Array<string | null>;
  queuedThenAssignedTo: string | null;
  reminder: string | null;
  approval: { requested: string; approvedBy: string | null; tags: string[] };
  macrosFound: string[];
}

export async function rulesDemo(store: Store): Promise<RulesDemoSummary> {
  const clock = manualClock(new Date("2026-03-02T01:00:00Z")); // Monday 10:00 in Seoul
  section("Rules and routing: a refund request routed, a queue served, a pending reminder", {
    store,
    clock,
    why: "the same Monday as the chat",
  });
  const chat = memoryChannel({ id: "webchat" });
  const desk = createDesk({
    store,
    clock,
    channels: [chat],
    autoAcknowledge: false,
    shop: { name: "모카샵", timeZone: ZONE },
    agents: [
      { id: "minji", name: "김민지", role: "agent", team: "refunds" },
      { id: "hana", name: "이하나", role: "agent", team: "refunds" },
      { id: "sam", name: "Sam", role: "agent", team: "refunds" },
      { id: "park", name: "박팀장", role: "lead", team: "cs-leads" },
    ],
    actionPlans: [
      {
        category: "refund_exchange",
        responsibleTeam: "refunds",
        decisionMaker: "lead", // approving a refund is the lead's decision
        decisions: ["add_tags:refund-approved"],
        informationNeeded: [],
        channels: ["webchat"],
        serviceHours: {
          id: "refunds",
          timeZone: ZONE,
          weekly: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY },
        },
        compensation: { currency: "KRW", kinds: ["refund"], limits: [], approverRole: "lead" },
      },
    ],
    plugins: [
      rulesPlugin({
        analyzer: (text) => analyze(text).terms, // macro search with the knowledge package's analysis
        macros: [
          {
            id: "exchange-guide",
            title: "교환 신청 안내",
            reply: { ko: "교환 신청은 주문 내역에서 하실 수 있습니다." },
          },
        ],
        triggers: [
          {
            id: "refund-ko",
            title: "한국어 환불 요청 → 환불팀",
            events: ["ticket_created"],
            conditions: {
              type: "all",
              conditions: [
                { type: "text", contains: ["환불"] },
                { type: "ticket", field: "language", op: "is", value: "ko" },
              ],
            },
            actions: [
              { type: "set_category", category: "refund_exchange" },
              { type: "set_team", team: "refunds" },
            ],
          },
        ],
      }),
      routingPlugin({ strategy: "least_loaded", require: ["language"] }),
    ],
  });
  // Skills and capacity per channel (the `agents` option only names the team).
  await desk.routing.agents.upsert({
    id: "minji",
    teams: ["refunds"],
    skills: { languages: ["ko"] },
    presence: "online",
    capacity: { webchat: 2 },
  });
  await desk.routing.agents.upsert({
    id: "hana",
    teams: ["refunds"],
    skills: { languages: ["ko", "en"] },
    presence: "online",
    capacity: { webchat: 1 },
  });
  await desk.routing.agents.upsert({
    id: "sam",
    teams: ["refunds"],
    skills: { languages: ["en"] },
    presence: "online",
    capacity: { webchat: 5 },
  });

  const ask = (n: number, text: string): InboundEventInput => ({
    type: "message",
    channel: "webchat",
    externalId: `rules-${n}`,
    occurredAt: clock.now(),
    conversationKey: `rules-chat-${n}`,
    from: { identities: [{ kind: "webchat", value: `rules-visitor-${n}` }], name: `고객${n}` },
    text,
  });
  const texts = [
    "주문한 운동화 환불하고 싶어요",
    "사이즈가 안 맞아서 환불 부탁드려요",
    "환불 언제 되나요?",
    "불량이라 환불 요청합니다",
  ];
  const tickets = [];
  for (const [i, text] of texts.entries()) {
    const { ticket } = await desk.ingest(ask(i + 1, text));
    tickets.push(ticket!);
    console.log(
      `SD-${ticket!.number} "${text}" → team ${ticket!.team ?? "-"}, ${ticket!.assigneeId ? `assigned to ${ticket!.assigneeId}` : "queued (every Korean-speaking refunds agent is full)"}`,
    );
  }
  const load = await desk.routing.load();
  console.log(
    `load: ${Object.entries(load)
      .map(([a, c]) => `${a} ${c?.["webchat"] ?? 0}`)
      .join(", ")}; waiting: ${(await desk.routing.queue()).length}`,
  );

  const hanas = tickets.find((t) => t.assigneeId === "hana")!;
  await desk.setStatus(hanas.id, "solved", { agentId: "hana" });
  await desk.routing.settle();
  const queued = await desk.getTicket(tickets[3]!.id);
  console.log(
    `${shopTime(clock.now())}: hana solved SD-${hanas.number} → SD-${queued.number} assigned to ${queued.assigneeId ?? "-"} from the queue`,
  );

  const first = tickets[0]!;
  const waiting = tickets[1]!;
  await desk.reply(waiting.id, { text: "주문번호를 알려주시겠어요?", agentId: waiting.assigneeId, status: "pending" });
  console.log(`${shopTime(clock.now())}: SD-${waiting.number} is pending (waiting for the customer)`);
  clock.advance(49 * HOUR);
  await desk.runDue(clock.now());
  await desk.rules.settle();
  const reminder = (await desk.listMessages(waiting.id)).filter((m) => m.direction === "outbound").at(-1)?.text ?? null;
  console.log(`${shopTime(clock.now())}: pending 48 h → reminder sent: "${reminder}"`);

  // The refund decision is above an agent's authority: a request for the lead, approved once.
  const asked = await desk.rules.perform(first.id, [{ type: "add_tags", tags: ["refund-approved"] }], {
    agentId: "hana",
  });
  const approval = asked.status === "pending_approval" ? asked.approval : null;
  const approved = approval ? await desk.rules.approvals.approve(approval.id, { agentId: "park" }) : null;
  const tags = (await desk.getTicket(first.id)).tags;
  console.log(
    `hana asks to approve the refund on SD-${first.number} → ${asked.status} for role ${approval?.approverRole ?? "-"}; park approves → tags ${tags.join(", ")}`,
  );
  const macrosFound = (await desk.rules.macros.search("교환신청")).map((m) => m.id);
  console.log(`macros for "교환신청": ${macrosFound.join(", ") || "none"}`);
  await desk.close();
  return {
    approval: { requested: asked.status, approvedBy: approved?.decidedBy ?? null, tags },
    macrosFound,
    first: { team: first.team, assignee: first.assigneeId },
    assignees: tickets.map((t) => t.assigneeId),
    queuedThenAssignedTo: queued.assigneeId,
    reminder,
  };
}
