import { http, HttpResponse } from "msw";
import type { SetupServer } from "msw/node";

export const CLIENT_ID = "test-client-id-4f2";
/** A bcrypt salt, as the Commerce API center issues secrets. */
export const CLIENT_SECRET = "$2a$04$abcdefghijklmnopqrstuu";
export const BASE = "https://api.commerce.naver.com/external";
export const TOKEN_URL = `${BASE}/v1/oauth2/token`;
export const QNAS_URL = `${BASE}/v1/contents/qnas`;

/** A Commerce API token endpoint that counts its calls and hands out numbered tokens. */
export function tokenEndpoint(
  server: SetupServer,
  expiresIn = 10_800,
): { calls: URLSearchParams[]; contentTypes: string[] } {
  const state = { calls: [] as URLSearchParams[], contentTypes: [] as string[] };
  server.use(
    http.post(TOKEN_URL, async ({ request }) => {
      state.contentTypes.push(request.headers.get("content-type") ?? "");
      state.calls.push(new URLSearchParams(await request.text()));
      return HttpResponse.json({
        access_token: `token-${state.calls.length}`,
        expires_in: expiresIn,
        token_type: "Bearer",
      });
    }),
  );
  return state;
}

export function question(id: number, extra: Record<string, unknown> = {}) {
  return {
    questionId: id,
    productId: 5_000_000 + id,
    productName: "무선 이어폰 X2",
    question: `이 제품 방수 되나요? (${id})`,
    answered: false,
    maskedWriterId: "kim****",
    createDate: "2026-03-02T08:30:00.000+09:00",
    ...extra,
  };
}

export const sleepNoop = async () => {};
