/**
 * Korean channels, end to end against mocked provider APIs (msw; nothing leaves the machine):
 * a Smartstore product question polled and answered from the inbox (and the answer edited),
 * a TalkTalk chat the bot answers inside the webhook response and hands off, a KakaoTalk skill
 * request answered within Kakao's 5-second limit, and a shipping AlimTalk sent when the order
 * ships to the same customer, known by the phone number the chatbot collected.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { createDesk, type Store } from "@storedesk/core";
import { categoryWords, section } from "./print.js";
import {
  alimTalkChannel,
  defineAlimTalkTemplates,
  kakaoSkillChannel,
  kakaoSkillHandler,
  lunasoftAlimTalkProvider,
  SKILL_TOKEN_HEADER,
} from "@storedesk/kakao";
import {
  naverCommerceClient,
  naverQnaChannel,
  naverQnaPoller,
  naverTalkTalkChannel,
  talkTalkWebhook,
} from "@storedesk/naver";

/** What {@link koreanChannelsDemo} did, for the quickstart test. */
export interface KoreanChannelsSummary {
  qna: { ingested: number; category: string | null; puts: number; lastAnswer: string | null; edit: unknown };
  talk: { inlineAnswer: unknown; handoffTicketStatus: string | null; sendApiCalls: number };
  kakao: { elapsedMs: number; response: unknown; identities: string[] };
  alimtalk: { recipient: unknown; template: unknown; status: string | null };
}

// Demo credentials: in a shop they come from the environment and never appear in logs.
const NAVER = { clientId: "demo-naver-client", clientSecret: "$2a$04$abcdefghijklmnopqrstuu" };
const COMMERCE = "https://api.commerce.naver.com/external";

/** Runs the Korean channels section on its own in-memory-like store (any store works). */
export async function koreanChannelsDemo(store: Store): Promise<KoreanChannelsSummary> {
  const now = Date.now();
  section("Korean channels: Smartstore Q&A, TalkTalk, KakaoTalk skill, AlimTalk", {
    store,
    clock: new Date(now),
    why: "the real clock: the mocked Naver and Kakao APIs answer in real time",
  });
  const smartstore = { answers: new Map<string, string>(), puts: 0 };
  const talkSends: unknown[] = [];
  const alimSends: Array<Record<string, unknown>> = [];
  const apis = setupServer(
    http.post(`${COMMERCE}/v1/oauth2/token`, () =>
      HttpResponse.json({ access_token: "demo-token", expires_in: 10_800, token_type: "Bearer" }),
    ),
    http.get(`${COMMERCE}/v1/contents/qnas`, ({ request }) => {
      const answered = new URL(request.url).searchParams.get("answered") === "true";
      const contents = answered
        ? []
        : [
            {
              questionId: 663810138,
              productId: 8_812_345_678,
              productName: "리넨 셔츠 (아이보리)",
              question: "키 175에 70kg이면 M 사이즈 맞을까요?",
              answered: false,
              maskedWriterId: "minj****",
              createDate: new Date(now - 15 * 60_000).toISOString(),
            },
          ];
      return HttpResponse.json({
        contents,
        page: 1,
        size: 100,
        totalElements: contents.length,
        totalPages: 1,
      });
    }),
    http.put(`${COMMERCE}/v1/contents/qnas/:id`, async ({ params, request }) => {
      smartstore.answers.set(String(params.id), ((await request.json()) as { commentContent: string }).commentContent);
      smartstore.puts++;
      return new HttpResponse(null, { status: 204 });
    }),
    http.post("https://gw.talk.naver.com/chatbot/v1/event", async ({ request }) => {
      talkSends.push(await request.json());
      return HttpResponse.json({ success: true, resultCode: "00" });
    }),
    http.post("https://kakao-bizmessage.lunasoft.co.kr/api/v3/alimtalk/send", async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      alimSends.push(body);
      return HttpResponse.json({ code: "0000", message_key: body.message_key });
    }),
  );
  apis.listen({ onUnhandledRequest: "error" });
  try {
    const commerce = naverCommerceClient(NAVER);
    const qna = naverQnaChannel({
      client: commerce,
      productUrl: (id) => `https://smartstore.naver.com/demo/products/${id}`,
    });
    const talk = naverTalkTalkChannel({
      authorization: "demo-talktalk-key",
      webhookToken: "demo-hook-token",
    });
    const kakao = kakaoSkillChannel({ skillToken: "demo-skill-token" });
    const templates = defineAlimTalkTemplates([
      {
        code: "SHIP_01",
        purpose: "shipping",
        status: "approved",
        body: "[데모스토어] #{name}님, 주문 #{order} 상품이 출고되었습니다.\n택배사: #{carrier}\n운송장: #{tracking}",
        buttons: [{ name: "배송 조회", type: "DS" }],
      },
    ]);
    const alimtalk = alimTalkChannel({
      provider: lunasoftAlimTalkProvider({
        agentKey: "demo-agent-key",
        senderKey: "demo-sender",
        callback: "0212345678",
      }),
      templates,
    });
    const desk = createDesk({
      outbox: { wait: "sent" },
      store,
      channels: [qna, talk, kakao, alimtalk],
      autoAcknowledge: false,
    });

    // 1. Smartstore product Q&A: polled, answered from the inbox, then the answer edited.
    const poll = await naverQnaPoller({ channel: qna, client: commerce, store, desk }).poll();
    const qnaTicket = (await desk.listTickets({ channel: "naver_qna" }))[0] ?? null;
    let edit: unknown = null;
    if (qnaTicket) {
      await desk.reply(qnaTicket.id, {
        text: "M 사이즈 추천드립니다. 여유 있게 입으시려면 L도 좋아요.",
        agentId: "minji",
      });
      const edited = await desk.reply(qnaTicket.id, {
        text: "M 사이즈 추천드립니다(가슴단면 56cm). 여유 있게 입으시려면 L도 좋아요.",
        agentId: "minji",
      });
      edit = edited.meta.naver;
    }
    console.log(
      `Smartstore: ${poll.ingested} question(s) → SD-${qnaTicket?.number ?? "?"} (${qnaTicket ? categoryWords(qnaTicket.category) : "?"}), answered by PUT ×${smartstore.puts} (the second an edit: ${JSON.stringify(edit)})`,
    );

    // 2. TalkTalk: the bot answers inside the HTTP response; what it cannot answer goes to a person.
    const faq = async ({ text }: { text: string }) =>
      /배송|언제/.test(text) ? "평일 오후 2시 전 주문은 당일 출고, 보통 1~2일 안에 도착해요." : null;
    const talkHook = talkTalkWebhook({ desk, channel: talk, answer: faq });
    const talkPost = (body: unknown) =>
      new Request("https://shop.example/webhooks/talktalk?token=demo-hook-token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await talkHook(
      talkPost({
        event: "open",
        user: "demo-talk-user",
        options: {
          inflow: "button",
          referer: "https://smartstore.naver.com/demo/products/8812345678",
          from: "8812345678",
          friend: true,
          under14: false,
          under19: false,
        },
      }),
    );
    const inline = await (
      await talkHook(
        talkPost({
          event: "send",
          user: "demo-talk-user",
          textContent: { text: "오늘 주문하면 언제 도착해요?" },
        }),
      )
    )
      .json()
      .catch(() => null);
    await talkHook(
      talkPost({
        event: "send",
        user: "demo-talk-user",
        textContent: { text: "받은 셔츠 단추가 떨어져 있어요. 교환 되나요?" },
      }),
    );
    const talkTicket = (await desk.listTickets({ channel: "naver_talk" }))[0] ?? null;
    if (talkTicket)
      await desk.reply(talkTicket.id, {
        text: "불편을 드려 죄송합니다. 새 상품으로 바로 교환해 드릴게요.",
        agentId: "minji",
      });
    console.log(
      `TalkTalk: bot answered in the webhook response ${JSON.stringify(inline)}; the exchange request was handed off and the agent answered through the send API (${talkSends.length} call)`,
    );

    // 3. KakaoTalk skill: answered within the 5-second limit; the bot collected a phone number.
    const skill = kakaoSkillHandler({
      desk,
      channel: kakao,
      answer: async () => ({
        text: "주문 1042는 오늘 출고 예정이에요.",
        quickReplies: ["배송 조회", "상담원 연결"],
      }),
    });
    const started = Date.now();
    const skillAnswer = await (
      await skill(
        new Request("https://shop.example/kakao/skill", {
          method: "POST",
          headers: { "content-type": "application/json", [SKILL_TOKEN_HEADER]: "demo-skill-token" },
          body: JSON.stringify({
            userRequest: {
              utterance: "주문 1042 언제 출고돼요?",
              user: {
                id: "demo-bot-user",
                type: "botUserKey",
                properties: { plusfriendUserKey: "demo-pf-key" },
              },
            },
            action: { params: { phone: "010-2345-6789" } },
          }),
        }),
      )
    ).json();
    const elapsedMs = Date.now() - started;
    const kakaoTicket = (await desk.listTickets({ channel: "kakao" }))[0] ?? null;
    const customer = kakaoTicket ? await desk.getCustomer(kakaoTicket.customerId) : null;
    console.log(`KakaoTalk: skill answered in ${elapsedMs} ms (limit 5,000) with ${JSON.stringify(skillAnswer)}`);

    // 4. The order ships (a fulfillment event in the shop): a shipping AlimTalk to that customer's phone.
    let status: string | null = null;
    if (customer) {
      const { message } = await desk.sendToCustomer(customer.id, {
        channel: "alimtalk",
        reason: "shipping",
        text: "출고 안내",
        category: "shipping",
        template: {
          name: "SHIP_01",
          language: "ko",
          parameters: { name: "고객", order: "1042", carrier: "한진택배", tracking: "531234567890" },
        },
      });
      status = message.deliveryStatus;
    }
    console.log(
      `AlimTalk: SHIP_01 to ${String(alimSends[0]?.recipient_number)} (${status}): ${String(alimSends[0]?.message).split("\n")[0]}`,
    );

    return {
      qna: {
        ingested: poll.ingested,
        category: qnaTicket?.category ?? null,
        puts: smartstore.puts,
        lastAnswer: smartstore.answers.get("663810138") ?? null,
        edit,
      },
      talk: {
        inlineAnswer: inline,
        handoffTicketStatus: talkTicket ? (await desk.getTicket(talkTicket.id)).status : null,
        sendApiCalls: talkSends.length,
      },
      kakao: {
        elapsedMs,
        response: skillAnswer,
        identities: customer?.identities.map((i) => `${i.kind}:${i.value}`) ?? [],
      },
      alimtalk: { recipient: alimSends[0]?.recipient_number, template: alimSends[0]?.template_code, status },
    };
  } finally {
    apis.close();
  }
}
