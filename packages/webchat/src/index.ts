/**
 * @storedesk/webchat: live chat as a storedesk channel. Visitors post messages (idempotent by
 * `clientMessageId`) and follow their conversation over Server-Sent Events that replay whatever a
 * dropped connection missed from the desk's records; anonymous visitors get signed sessions, a
 * shop's logged-in customers are vouched for by an HMAC from the shop's server; replies reach
 * every instance over an in-process or PostgreSQL LISTEN/NOTIFY bus. The widget is built to
 * `dist/widget.global.js` (`@storedesk/webchat/widget.js`).
 *
 * @packageDocumentation
 */
export { webchatChannel } from "./channel.js";
export type { WebchatChannel, WebchatChannelOptions, WebchatSettings, PrechatSettings } from "./channel.js";
export { webchatServer } from "./server.js";
export type { WebchatServer, WebchatServerOptions, VisitorActivity } from "./server.js";
export { memoryBus } from "./bus.js";
export type { WebchatBus, BusNotice } from "./bus.js";
export { postgresBus } from "./pg-bus.js";
export type { PostgresBusOptions, PgPoolLike, PgClientLike } from "./pg-bus.js";
export { identityHash, signSession, verifySession, verifiedSession, anonymousSession } from "./identity.js";
export type { VisitorSession, ShopIdentity, SignedShopIdentity } from "./identity.js";
export { handleChatMessage, sessionOf, toInboundEvent, DEFAULT_ATTACHMENT_LIMITS } from "./webhook.js";
export type { AttachmentLimits, CheckedAttachment, WebhookOptions } from "./webhook.js";
export { sendChatMessage } from "./send.js";
export type { ChatRuntime } from "./send.js";
export { conversationItems, cursorTime, itemId, messageItem, eventItem } from "./stream-items.js";
export type { ChatDesk } from "./stream-items.js";
export { unverifiedVisitor, webchatErrorResponse } from "./errors.js";
export * from "./schemas.js";
export { chatQuickReplies, CHAT_QUICK_REPLY_LIMITS } from "./quick-replies.js";
export type { ChatQuickReply } from "./quick-replies.js";
