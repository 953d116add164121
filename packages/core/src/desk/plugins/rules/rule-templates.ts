/** The messages the default automations send, in Korean and English (a shop template with the same id wins). */
import type { Template } from "../../../domain/template.js";

/** `pending_reminder` (48 h pending) and `pending_closing` (96 h pending, then solved). */
export const RULE_TEMPLATES: readonly Template[] = [
  {
    id: "pending_reminder",
    name: "Pending reminder",
    category: null,
    locales: {
      ko: {
        subject: null,
        body: "{{customer.name}}님, 문의 {{ticket.ref}} 건에 대해 확인이 필요한 내용이 있어 다시 연락드립니다. 편하실 때 답장 부탁드립니다.",
      },
      en: {
        subject: null,
        body: "Hi {{customer.name}}, we are still waiting for your reply on {{ticket.ref}}. Just answer this message when you can.",
      },
    },
  },
  {
    id: "pending_closing",
    name: "Pending closing",
    category: null,
    locales: {
      ko: {
        subject: null,
        body: "{{customer.name}}님, 답변이 없어 문의 {{ticket.ref}} 건을 해결됨으로 처리합니다. 더 도움이 필요하시면 이 메시지에 답장해 주세요.",
      },
      en: {
        subject: null,
        body: "Hi {{customer.name}}, as we have not heard back, we are marking {{ticket.ref}} as solved. Reply to this message if you still need help.",
      },
    },
  },
];
