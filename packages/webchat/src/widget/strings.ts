/** The widget's words in Korean and English, chosen by the page's `lang`. */
export const STRINGS = {
  ko: {
    open: "채팅 상담 열기",
    close: "채팅 닫기",
    title: "고객센터 채팅",
    unread: (n: number) => `읽지 않은 메시지 ${n}개`,
    log: "대화 내용",
    message: "메시지",
    placeholder: "메시지를 입력하세요 (Enter: 보내기, Shift+Enter: 줄바꿈)",
    send: "보내기",
    quick: "빠른 답장",
    bot: "챗봇",
    attach: "파일 첨부 (이미지, PDF)",
    online: "상담원이 곧 답변해 드립니다.",
    offlineAt: (when: string) => `지금은 상담 시간이 아닙니다. ${when}부터 상담원이 답변해 드립니다.`,
    offlineNoAgent: "지금은 연결 가능한 상담원이 없습니다. 최대한 빨리 답변해 드릴게요.",
    emailAsk: "답변을 이메일로도 받으시겠어요?",
    email: "이메일",
    save: "저장",
    emailSaved: "답변이 이 이메일로도 전송됩니다.",
    name: "이름",
    orderNumber: "주문번호",
    topic: "문의 유형",
    start: "상담 시작",
    typing: (name: string) => `${name} 님이 입력 중입니다…`,
    agent: "상담원",
    you: "나",
    joined: (name: string) => `${name} 상담원이 대화에 참여했습니다.`,
    read: "읽음",
    sending: "보내는 중…",
    failed: "전송 실패: 다시 보내는 중",
    reconnecting: "연결이 끊겼습니다. 다시 연결하는 중…",
    tooLarge: "파일이 너무 큽니다.",
    badType: "이미지나 PDF 파일만 보낼 수 있습니다.",
    formNeeded: "상담 시작 양식을 먼저 작성해 주세요. 작성하면 이 메시지를 보냅니다.",
    refused: "로그인한 고객만 채팅을 이용할 수 있습니다.",
  },
  en: {
    open: "Open chat",
    close: "Close chat",
    title: "Chat with us",
    unread: (n: number) => `${n} unread message${n === 1 ? "" : "s"}`,
    log: "Conversation",
    message: "Message",
    placeholder: "Type a message (Enter to send, Shift+Enter for a new line)",
    send: "Send",
    quick: "Quick replies",
    bot: "Assistant",
    attach: "Attach a file (image, PDF)",
    online: "An agent will answer shortly.",
    offlineAt: (when: string) => `We are closed now. A person will answer from ${when}.`,
    offlineNoAgent: "No agent is available right now. We will answer as soon as we can.",
    emailAsk: "Get the answer by email too?",
    email: "Email",
    save: "Save",
    emailSaved: "The answer will also go to this email.",
    name: "Name",
    orderNumber: "Order number",
    topic: "Topic",
    start: "Start chat",
    typing: (name: string) => `${name} is typing…`,
    agent: "Agent",
    you: "You",
    joined: (name: string) => `${name} joined the chat.`,
    read: "Read",
    sending: "Sending…",
    failed: "Not sent: retrying",
    reconnecting: "Connection lost. Reconnecting…",
    tooLarge: "The file is too large.",
    badType: "Only images and PDF files can be sent.",
    formNeeded: "Please fill in the form first; this message is sent after it.",
    refused: "This chat is for signed-in customers.",
  },
} as const;

/** The words of one language. */
export type Strings = (typeof STRINGS)["ko"] | (typeof STRINGS)["en"];

/**
 * The language of the page: `en` when `<html lang>` (or the browser) says English, else Korean.
 *
 * @example
 * pickLanguage("en-US") // "en"
 */
export function pickLanguage(lang: string | null | undefined): "ko" | "en" {
  return (lang ?? "").toLowerCase().startsWith("en") ? "en" : "ko";
}
