/**
 * The built-in commerce context as a plugin: after a new ticket commits, the customer's orders
 * come from the commerce provider (cached per customer) onto the ticket, the shop's identities
 * are linked, and high-value customers get at least `high` priority. The webhook's answer never
 * waits on the provider longer than the desk's budget (`commerceContext.budgetMs`).
 */
import type { Customer, Identity } from "../../../domain/customer.js";
import { priorityRank } from "../../../domain/enums.js";
import type { Ticket } from "../../../domain/ticket.js";
import type { EventDraft } from "../../../decision.js";
import type { CommerceProvider, CustomerContext, OrderSummary } from "../../../ports/commerce.js";
import type { DeskPlugin, PluginDesk } from "../../../ports/desk-plugin.js";
import { commerceAttributes } from "../../../domain/commerce-attributes.js";

const COMMERCE_ACTOR = { kind: "system", id: "commerce" } as const;

/** Options of {@link commerceContextPlugin} (from `createDesk({ commerceContext })`). */
export interface CommerceContextPluginOptions {
  /** Customers who spent at least this much get `high` priority and `vip` (null: never). */
  highValueTotalSpent?: number | null;
}

const squash = (text: string): string => text.toLowerCase().replace(/\s+/g, "");

/**
 * The product a ticket is about, from its order: the order's only product, else the line whose
 * title the subject names (Korean or English, spaces ignored); null when that is not clear, so
 * a report never blames the wrong product. Keyed by SKU, else by title.
 *
 * @example
 * productOfTicket(order, "블루 머그컵이 깨져서 왔어요"); // { productId: "MUG-BLUE", title: "블루 머그컵" }
 */
export function productOfTicket(
  order: OrderSummary,
  subject: string | null,
): { productId: string; title: string } | null {
  const products = new Map<string, string>();
  for (const line of order.lines) products.set(line.sku ?? line.title, line.title);
  const entries = [...products];
  if (entries.length === 1) return { productId: entries[0]![0], title: entries[0]![1] };
  const said = subject ? squash(subject) : "";
  const named = said ? entries.filter(([, title]) => squash(title).length > 0 && said.includes(squash(title))) : [];
  return named.length === 1 ? { productId: named[0]![0], title: named[0]![1] } : null;
}

/**
 * Fetches the customer's orders onto a new ticket, links the shop's identities and the product
 * the ticket is about, raises priority for high-value customers. Returns the saved ticket, or null when nothing was attached.
 *
 * @example
 * ticket = (await attachCommerceContext(desk, commerce, options, ticket, customer)) ?? ticket;
 */
export async function attachCommerceContext(
  desk: PluginDesk,
  commerce: CommerceProvider,
  options: CommerceContextPluginOptions,
  ticket: Ticket,
  customer: Customer,
): Promise<Ticket | null> {
  let context: CustomerContext | null;
  try {
    context = await desk.commerceContextOf(customer);
  } catch (error) {
    desk.reportError(error, `commerce context for ticket ${ticket.id}`);
    return null;
  }
  if (!context) return null;
  const handles: Identity[] = [];
  if (context.providerCustomerId) handles.push({ kind: "shopify", value: context.providerCustomerId });
  if (context.email) handles.push({ kind: "email", value: context.email });
  if (context.phone) handles.push({ kind: "phone", value: context.phone });
  const highValue = options.highValueTotalSpent ?? null;
  await desk.linkFoundIdentities(customer.id, handles, {
    onlyUnowned: true,
    actor: COMMERCE_ACTOR,
    attributes: commerceAttributes(context, { vipTotalSpent: highValue }),
  });
  return desk.decide(
    ticket.id,
    (current) => {
      const orderName = current.meta.orderName as string | undefined;
      const order =
        (orderName ? context.recentOrders.find((o) => o.name === orderName) : null) ?? context.recentOrders[0] ?? null;
      let next: Ticket = {
        ...current,
        meta: { ...current.meta, commerce: context, ...(order ? { orderId: order.id, orderName: order.name } : {}) },
      };
      const drafts: EventDraft[] = [
        {
          type: "commerce.context",
          data: {
            provider: commerce.id,
            ordersCount: context.ordersCount,
            totalSpent: context.totalSpent,
            orderId: order?.id ?? null,
          },
        },
      ];
      // The product, for "which product causes most complaints" (reports read `product.linked`).
      const product = order ? productOfTicket(order, current.subject) : null;
      if (product)
        drafts.push({ type: "product.linked", data: { ...product, orderId: order!.id, source: commerce.id } });
      if (highValue !== null && context.totalSpent >= highValue && priorityRank(next.priority) < priorityRank("high")) {
        drafts.push({
          type: "priority.changed",
          data: { from: next.priority, to: "high", reason: "high_value_customer" },
        });
        next = { ...next, priority: "high" };
      }
      return { ticket: { meta: next.meta, priority: next.priority }, events: drafts };
    },
    COMMERCE_ACTOR,
  );
}

/**
 * The built-in commerce-context plugin, registered when the desk has a commerce provider
 * (off with `builtins: { commerceContext: false }`).
 *
 * @example
 * const plugin = commerceContextPlugin(shopifyCommerce({ shop, accessToken }), { highValueTotalSpent: 500_000 });
 */
export function commerceContextPlugin(
  commerce: CommerceProvider,
  options: CommerceContextPluginOptions = {},
): DeskPlugin<"commerce-context"> {
  // The desk as plugins see it, handed over when the desk is built (`methods` runs once then).
  let desk: PluginDesk | null = null;
  return {
    specVersion: 1,
    id: "commerce-context",
    methods: (setup) => {
      desk = setup.desk;
      return {};
    },
    hooks: {
      // The work itself runs here, after commit; the desk bounds how long ingest waits for it.
      afterTicketCreated: async ({ ticket, customer }) => {
        if (desk) await attachCommerceContext(desk, commerce, options, ticket, customer);
      },
    },
  };
}
