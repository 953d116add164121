/** Builders of version "2.0" skill responses that refuse what Open Builder would refuse. */
import { StoredeskError } from "@storedesk/core";
import { BasicCardSchema, SkillResponseSchema } from "./schemas.js";
import type { BasicCard, QuickReply, SkillResponse } from "./schemas.js";

/** What a bot answers with: text, optional card and quick replies (labels or full objects). */
export interface SkillAnswer {
  text: string;
  card?: BasicCard;
  quickReplies?: Array<string | QuickReply>;
}

/**
 * A skill response from an answer; a text over 1,000 characters is split across up to three
 * simpleText bubbles (then refused), a quick reply given as a label sends that label.
 *
 * @example
 * skillResponse({ text: "배송은 보통 2일 걸려요.", quickReplies: ["주문 조회", "상담원 연결"] })
 */
export function skillResponse(answer: SkillAnswer | string): SkillResponse {
  const a = typeof answer === "string" ? { text: answer } : answer;
  const chunks: string[] = [];
  for (let rest = a.text; rest.length > 0; rest = rest.slice(1000)) chunks.push(rest.slice(0, 1000));
  const outputs: SkillResponse["template"]["outputs"] = [
    ...chunks.map((text) => ({ simpleText: { text } })),
    ...(a.card ? [{ basicCard: a.card }] : []),
  ];
  const quickReplies = a.quickReplies?.map((q) =>
    typeof q === "string" ? { label: q.slice(0, 14), action: "message" as const, messageText: q } : q,
  );
  // The card on its own first: inside the outputs union its errors would only say "invalid union".
  if (a.card) refuseInvalid(BasicCardSchema.safeParse({ basicCard: a.card }), "card");
  const candidate = {
    version: "2.0" as const,
    template: { outputs, ...(quickReplies?.length ? { quickReplies } : {}) },
  };
  const parsed = SkillResponseSchema.safeParse(candidate);
  refuseInvalid(parsed, "response");
  return parsed.data!;
}

function refuseInvalid(
  result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } },
  what: string,
): void {
  if (result.success) return;
  const issue = result.error?.issues[0];
  const path = issue?.path.map(String) ?? [];
  throw new StoredeskError({
    code: "INVALID_INPUT",
    message: `Kakao skill ${what}: ${path.join(".")} ${issue?.message ?? ""}`.trim(),
    path,
  });
}

/** The immediate answer that asks Open Builder to wait for the callback (`useCallback: true`). */
export function callbackAcknowledgement(text: string): {
  version: "2.0";
  useCallback: true;
  data: { text: string };
} {
  return { version: "2.0", useCallback: true, data: { text: text.slice(0, 1000) } };
}
