/**
 * @storedesk/naver: Naver's shop channels for storedesk. The Commerce API client (bcrypt-signed
 * client credentials, cached token, paced calls), Smartstore product Q&A (상품문의) as a polled
 * channel whose answers go back through the API, and Naver TalkTalk (톡톡) as a chat channel.
 *
 * @packageDocumentation
 */
export { naverCommerceClient, clientSecretSign } from "./commerce-client.js";
export type { NaverCommerceClient, NaverCommerceClientOptions, CommerceRequest } from "./commerce-client.js";
export { tokenBucket } from "./token-bucket.js";
export type { TokenBucket, TokenBucketOptions } from "./token-bucket.js";
export { commerceApiError, scrubText, CommerceErrorBodySchema } from "./errors.js";
export {
  naverQnaChannel,
  qnaQuestionEvent,
  qnaConversationKey,
  questionIdOf,
  QNA_BATCH_SIGNATURE_HEADER,
} from "./qna-channel.js";
export type { NaverQnaChannel, NaverQnaChannelOptions } from "./qna-channel.js";
export { naverQnaPoller } from "./qna-poller.js";
export type { NaverQnaPoller, NaverQnaPollerOptions, QnaPollResult, QnaPollerDesk } from "./qna-poller.js";
export { naverTalkTalkChannel, talkTalkIdentity, inlineToken } from "./talktalk-channel.js";
export type { NaverTalkTalkChannel, NaverTalkTalkChannelOptions, TalkUserFacts } from "./talktalk-channel.js";
export { talkTalkWebhook } from "./webhook.js";
export type { TalkTalkWebhookOptions, TalkAnswerContext } from "./webhook.js";
export * from "./schemas.js";
