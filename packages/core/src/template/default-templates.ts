import type { Template } from "../domain/template.js";

/**
 * Templates the desk uses when the shop gives none of its own with the same id.
 * Variables: `ticket.ref`, `ticket.subject`, `customer.name`, `due.text` (the
 * expected handling time in the customer's language), `due.sentence` (the whole promise), `shop.name`,
 * `information.sentence` (a request for what the action plan still needs, empty when nothing),
 * `plan.returnRules`, `plan.claimProcedure`.
 */
export const DEFAULT_TEMPLATES: Template[] = [
  {
    id: "auto_ack",
    name: "Auto-acknowledgement",
    category: null,
    locales: {
      ko: {
        subject: "[{{shop.name|고객센터}}] 문의가 접수되었습니다 [#{{ticket.ref}}]",
        body: "{{customer.name|고객}}님, 안녕하세요. {{shop.name|고객센터}}입니다.\n문의가 접수되었습니다 (접수번호 {{ticket.ref}}).\n{{due.sentence}}{{information.sentence|}} 추가로 전하실 내용이 있으면 이 메시지에 회신해 주세요.",
      },
      en: {
        subject: "[{{shop.name|Support}}] We received your request [#{{ticket.ref}}]",
        body: "Hi {{customer.name|there}},\nThanks for contacting {{shop.name|us}}. Your request is {{ticket.ref}}.\n{{due.sentence}}{{information.sentence|}} Reply to this message to add anything.",
      },
    },
  },
  {
    id: "complaint_update",
    name: "Complaint progress update",
    category: "complaint",
    locales: {
      ko: {
        subject: null,
        body: "{{customer.name|고객}}님, 불편을 드려 다시 한번 죄송합니다. 말씀하신 건({{ticket.ref}})은 현재 처리 중이며, 진행 상황을 계속 알려드리겠습니다.",
      },
      en: {
        subject: null,
        body: "Hi {{customer.name|there}}, we are sorry again for the trouble. Your case {{ticket.ref}} is still being worked on and we will keep you posted.",
      },
    },
  },
  {
    id: "complaint_confirm",
    name: "Complaint resolution confirmation",
    category: "complaint",
    locales: {
      ko: {
        subject: null,
        body: "{{customer.name|고객}}님, 말씀하신 문제({{ticket.ref}})를 다음과 같이 처리했습니다: {{resolution}}. 문제가 해결되셨는지 알려주시겠어요?",
      },
      en: {
        subject: null,
        body: "Hi {{customer.name|there}}, we have resolved your case {{ticket.ref}}: {{resolution}}. Could you confirm the problem is solved for you?",
      },
    },
  },
];
