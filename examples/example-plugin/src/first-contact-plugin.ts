/**
 * An example `DeskPlugin`: a customer writing for the first time gets a thank-you note after
 * the acknowledgement, a VIP customer's ticket gets the `vip` tag and high priority. It keeps
 * who was thanked in the store (keyed records), so a second ticket is not thanked again, on
 * every store and across instances.
 */
import { defineDeskPlugin, type HookDecision } from "@storedesk/core";

/** Options of {@link firstContactPlugin}. */
export interface FirstContactOptions {
  /** The note, by language (`ko`, `en`); `{name}` is the customer's name. */
  text?: Record<string, string>;
  /** Customer attribute that marks a VIP (default `vip`). */
  vipAttribute?: string;
}

const DEFAULT_TEXT: Record<string, string> = {
  ko: "{name}님, 처음 문의해 주셔서 감사합니다. 빠르게 도와드리겠습니다.",
  en: "Thank you for writing to us for the first time, {name}. We are on it.",
};

/**
 * The first-contact plugin; its methods live under `desk["first-contact"]`.
 *
 * @example
 * const desk = createDesk({ store, channels, plugins: [firstContactPlugin()] });
 * await desk["first-contact"].wasThanked(customerId); // true after their first ticket
 */
export function firstContactPlugin(options: FirstContactOptions = {}) {
  const text = { ...DEFAULT_TEXT, ...options.text };
  const vip = options.vipAttribute ?? "vip";
  return defineDeskPlugin({
    specVersion: 1,
    id: "first-contact",
    events: ["plugin.first-contact.thanked"],
    hooks: {
      async ticketCreated({ ticket, customer, message, records }) {
        const decision: HookDecision = { events: [], effects: [] };
        if (customer.attributes[vip] === true) {
          decision.ticket = { priority: "high", tags: [...new Set([...ticket.tags, "vip"])] };
          decision.events!.push({ type: "plugin.first-contact.vip", data: { customerId: customer.id } });
        }
        if (!message || message.automatic) return decision;
        // Insert-only: of two tickets racing for the first thank-you, one transaction wins.
        if (await records.get("thanked", customer.id)) return decision;
        await records.put({ namespace: "thanked", key: customer.id, value: { ticketId: ticket.id } }, null);
        const language = (customer.locale ?? ticket.language).startsWith("ko") ? "ko" : "en";
        const note = (text[language] ?? DEFAULT_TEXT.en!).replace(
          "{name}",
          customer.name ?? (language === "ko" ? "고객" : "there"),
        );
        decision.effects!.push(
          { type: "send", ticketId: ticket.id, text: note, automatic: true, reason: "first_contact" },
          { type: "emit", event: "plugin.first-contact.thanked", data: { customerId: customer.id } },
        );
        return decision;
      },
    },
    methods: ({ records }) => ({
      /** Whether this customer was thanked already. */
      wasThanked: async (customerId: string): Promise<boolean> => (await records.get("thanked", customerId)) !== null,
    }),
  });
}
