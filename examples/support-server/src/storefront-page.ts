/** The demo storefront: a product page with the chat widget in one <script> tag. */

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Options of {@link storefrontPage}. */
export interface StorefrontOptions {
  lang: "ko" | "en";
  /** A signed-in customer with the hash the shop's server computed, or null for a guest. */
  identity: { id: string; email: string; name: string; shopifyCustomerId: string; hash: string } | null;
  /** Demo of a tampered page: the identity's hash is replaced (verified-only mode refuses it). */
  forged?: boolean;
  /** The shop's IANA zone: the widget shows message times on the shop's clock, as the inbox does. */
  timeZone?: string;
}

/**
 * The storefront HTML.
 *
 * @example
 * c.html(storefrontPage({ lang: "ko", identity: null }));
 */
export function storefrontPage(options: StorefrontOptions): string {
  const ko = options.lang === "ko";
  const identity =
    options.identity && options.forged ? { ...options.identity, hash: "0".repeat(64) } : options.identity;
  const attr = identity ? ` data-identity="${esc(JSON.stringify(identity))}"` : "";
  const zone = options.timeZone ? ` data-time-zone="${esc(options.timeZone)}"` : "";
  return `<!doctype html>
<html lang="${options.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${ko ? "모카샵" : "Mocha Shop"}</title>
<style>body{margin:0;font:16px/1.5 system-ui,"Apple SD Gothic Neo","Malgun Gothic","NanumGothic",sans-serif;color:#222}
header{padding:16px 24px;background:#3b2a20;color:#fff}main{max-width:760px;margin:24px auto;padding:0 16px}
.product{display:flex;gap:20px;flex-wrap:wrap}.photo{width:260px;height:200px;background:linear-gradient(135deg,#c8a27a,#6b4a32);border-radius:12px}
nav a{color:#fff;margin-left:12px}</style></head>
<body><header><strong>${ko ? "모카샵" : "Mocha Shop"}</strong>
<nav><a href="?lang=${ko ? "en" : "ko"}">${ko ? "English" : "한국어"}</a><a href="?customer=minji&amp;lang=${options.lang}">${ko ? "김민지로 로그인" : "Sign in as Minji"}</a></nav></header>
<main><h1>${ko ? "핸드드립 세라믹 드리퍼" : "Ceramic pour-over dripper"}</h1>
<div class="product"><div class="photo" role="img" aria-label="${ko ? "드리퍼 사진" : "Dripper photo"}"></div>
<p>${ko ? "매일 아침 한 잔의 여유. 궁금한 점은 오른쪽 아래 채팅으로 물어보세요." : "A calm cup every morning. Questions? Ask in the chat at the bottom right."}</p></div>
${identity ? `<p>${ko ? "로그인: " : "Signed in: "}${esc(identity.name)}</p>` : ""}
</main>
<script src="/widget.js" data-endpoint="/chat"${attr}${zone} defer></script>
</body></html>`;
}
