/**
 * @storedesk/kakao: KakaoTalk for storedesk. The Kakao i Open Builder skill server (answers
 * within the 5-second limit, late ones through the callback, hand-off to a person), consultation
 * talk (상담톡) through a dealer port, and AlimTalk (알림톡) notifications from approved templates
 * with SMS/LMS fallback.
 *
 * @packageDocumentation
 */
export { kakaoSkillChannel, skillIdentities, SKILL_TOKEN_HEADER, CALLBACK_TTL_MS } from "./skill-channel.js";
export type { KakaoSkillChannel, KakaoSkillChannelOptions } from "./skill-channel.js";
export { kakaoSkillHandler } from "./webhook.js";
export type { KakaoSkillHandlerOptions, SkillAnswerContext } from "./webhook.js";
export { skillResponse, callbackAcknowledgement } from "./skill-response.js";
export type { SkillAnswer } from "./skill-response.js";
export * from "./schemas.js";
export { kakaoCounselChannel, COUNSEL_SESSION_MS } from "./counsel-port.js";
export type { CounselDealer, CounselOutbound, CounselWebhookEvent, KakaoCounselChannel } from "./counsel-port.js";
export { referenceCounselDealer, COUNSEL_SIGNATURE_HEADER } from "./counsel-reference-dealer.js";
export type { ReferenceCounselDealerOptions } from "./counsel-reference-dealer.js";
export {
  defineAlimTalkTemplates,
  templateVariables,
  AlimTalkTemplateSchema,
  AlimTalkTemplateStatusSchema,
  AlimTalkButtonSchema,
  AlimTalkPurposeSchema,
} from "./alimtalk-templates.js";
export type {
  AlimTalkTemplate,
  AlimTalkTemplates,
  AlimTalkTemplateStatus,
  AlimTalkButton,
  RenderedAlimTalk,
} from "./alimtalk-templates.js";
export { lunasoftAlimTalkProvider } from "./alimtalk-provider.js";
export type { AlimTalkProvider, AlimTalkSend, TextSend, LunasoftProviderOptions } from "./alimtalk-provider.js";
export { alimTalkChannel, eucKrBytes, fallbackText } from "./alimtalk-channel.js";
export type { AlimTalkChannelOptions } from "./alimtalk-channel.js";
export { koreanPhoneIdentity, nationalNumber } from "./phone.js";
export { lunasoftResultError, counselResultError } from "./errors.js";
