/**
 * What the desk does to customers (link identities, update the profile, merge two records), each
 * as a function over one transaction that writes the change and its customer audit event together.
 * The desk wraps them in its retrying transaction and emits its events after commit.
 */
import { z } from "zod";
import type { EventDraft } from "../decision.js";
import { IdentitySchema, identityKey, normalizeIdentity, type Customer, type Identity } from "../domain/customer.js";
import type { CustomerEvent } from "../domain/customer-event.js";
import { LanguageSchema } from "../domain/enums.js";
import type { Actor } from "../domain/event.js";
import { cleanStrings } from "../domain/inbound.js";
import type { Ticket } from "../domain/ticket.js";
import { StoredeskError } from "../errors.js";
import type { StoreOps } from "../ports/store.js";
import { parseInput } from "../validate.js";

/** What the customer actions need from the desk. */
export interface CustomerActionContext {
  now: () => Date;
  newId: () => string;
}

/** Where linked identities came from, recorded on the `customer.identities_linked` event. */
export type LinkSource = "ingest" | "agent" | "commerce" | "merge";

/**
 * Appends one event to a customer's audit log.
 *
 * @example
 * await appendCustomerEvent(tx, ctx, customer.id, "customer.updated", actor, { changes });
 */
export async function appendCustomerEvent(
  tx: StoreOps,
  ctx: CustomerActionContext,
  customerId: string,
  type: string,
  actor: Actor,
  data: Record<string, unknown>,
): Promise<CustomerEvent> {
  const event: CustomerEvent = { id: ctx.newId(), customerId, type, at: ctx.now(), actor, data };
  await tx.appendCustomerEvent(event);
  return event;
}

/**
 * Adds identities to a customer, with a `customer.identities_linked` event. An identity another
 * customer holds is skipped with `onlyUnowned`, else CONFLICT (`details.duplicate`: merge the
 * customers instead). `attributes` (commerce linking) are merged in by the same write.
 *
 * @example
 * const { customer, linked } = await linkIdentitiesIn(tx, ctx, "cus-1", [{ kind: "phone", value: "+821012345678" }],
 *   { source: "agent", actor: { kind: "agent", id: "kim" } });
 */
export async function linkIdentitiesIn(
  tx: StoreOps,
  ctx: CustomerActionContext,
  customerId: string,
  identities: Identity[],
  opts: { onlyUnowned?: boolean; source: LinkSource; actor: Actor; attributes?: Record<string, unknown> },
): Promise<{ customer: Customer; linked: Identity[] }> {
  const current = await tx.getCustomer(customerId);
  if (!current)
    throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found`, path: ["customerId"] });
  const adding: Identity[] = [];
  const seen = new Set(current.identities.map(identityKey));
  for (const identity of identities) {
    if (seen.has(identityKey(identity))) continue;
    const owner = await tx.findCustomerByIdentity(identity);
    if (owner?.id === current.id) continue;
    if (owner) {
      if (opts.onlyUnowned) continue;
      throw new StoredeskError({
        code: "CONFLICT",
        message: `${identity.kind} identity belongs to another customer; merge the customers instead`,
        details: { customerId: owner.id, duplicate: true },
      });
    }
    seen.add(identityKey(identity));
    adding.push(identity);
  }
  const changes = attributeChanges(current.attributes, opts.attributes ?? {});
  if (adding.length === 0 && Object.keys(changes).length === 0) return { customer: current, linked: [] };
  const next: Customer = {
    ...current,
    identities: [...current.identities, ...adding],
    attributes: { ...current.attributes, ...(opts.attributes ?? {}) },
    updatedAt: ctx.now(),
  };
  // The copy carries the version read above: a merge or another link in between makes this CONFLICT.
  await tx.updateCustomer(next);
  if (adding.length > 0) {
    await appendCustomerEvent(tx, ctx, current.id, "customer.identities_linked", opts.actor, {
      identities: adding,
      source: opts.source,
    });
  }
  if (Object.keys(changes).length > 0) {
    await appendCustomerEvent(tx, ctx, current.id, "customer.updated", opts.actor, { changes, source: opts.source });
  }
  return { customer: bumped(next), linked: adding };
}

/** Attribute values a customer can hold: what SLA and routing conditions compare by equality. */
const AttributeValueSchema = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
/** Attribute names: letters, digits and `_ . : -`, never a prototype key. */
const AttributeKeySchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/, "attribute names: a letter, then letters, digits, _ . : - (up to 64)");

/** What {@link updateCustomerIn} accepts: each field optional; attributes merge key by key (null is a value). */
export const CustomerPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).nullable().optional(),
  locale: LanguageSchema.nullable().optional(),
  attributes: z
    .record(AttributeKeySchema, AttributeValueSchema)
    .refine((a) => Object.keys(a).length <= 100, "at most 100 attributes per update")
    .optional(),
});
/** A validated customer update. */
export type CustomerPatch = z.infer<typeof CustomerPatchSchema>;

/**
 * Changes a customer's name, locale or attributes (validated; INVALID_INPUT changes nothing), with
 * a `customer.updated` event naming each change (`{ field: { from, to } }`). Nothing changed:
 * nothing written. A customer merged away is refused (update the survivor).
 *
 * @example
 * await updateCustomerIn(tx, ctx, "cus-1", { attributes: { vip: true } }, { kind: "agent", id: "kim" });
 */
export async function updateCustomerIn(
  tx: StoreOps,
  ctx: CustomerActionContext,
  customerId: string,
  patch: CustomerPatch,
  actor: Actor,
): Promise<{ customer: Customer; changes: Record<string, { from: unknown; to: unknown }> }> {
  const current = await tx.getCustomer(customerId);
  if (!current)
    throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${customerId} not found`, path: ["customerId"] });
  if (current.mergedInto) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: `Customer ${customerId} was merged into ${current.mergedInto}: update that one`,
      path: ["customerId"],
    });
  }
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (patch.name !== undefined && patch.name !== current.name) changes.name = { from: current.name, to: patch.name };
  if (patch.locale !== undefined && patch.locale !== current.locale)
    changes.locale = { from: current.locale, to: patch.locale };
  for (const [key, change] of Object.entries(attributeChanges(current.attributes, patch.attributes ?? {})))
    changes[`attributes.${key}`] = change;
  if (Object.keys(changes).length === 0) return { customer: current, changes };
  const next: Customer = {
    ...current,
    name: patch.name === undefined ? current.name : patch.name,
    locale: patch.locale === undefined ? current.locale : patch.locale,
    attributes: { ...current.attributes, ...(patch.attributes ?? {}) },
    updatedAt: ctx.now(),
  };
  await tx.updateCustomer(next);
  await appendCustomerEvent(tx, ctx, current.id, "customer.updated", actor, { changes });
  return { customer: bumped(next), changes };
}

/**
 * Validates outside input for {@link updateCustomerIn}.
 *
 * @example
 * const patch = parseCustomerPatch({ attributes: { vip: true }, locale: "ko" });
 */
export function parseCustomerPatch(input: unknown): CustomerPatch {
  // zod drops a "__proto__" key silently; a key it would drop is refused, not ignored.
  const attributes = (input as { attributes?: unknown } | null)?.attributes;
  if (typeof attributes === "object" && attributes !== null) {
    for (const key of Object.keys(attributes)) {
      if (!AttributeKeySchema.safeParse(key).success) {
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message: `Invalid attribute name ${JSON.stringify(key.slice(0, 64))}`,
          path: ["attributes", key],
        });
      }
    }
  }
  return cleanStrings(parseInput(CustomerPatchSchema, input, "customer update"));
}

/**
 * Merges customer `sourceId` into `targetId` (see `desk.mergeCustomers`): identities, tickets and
 * missing profile fields move to the target; a moved ticket whose conversation the target already
 * has open keeps its key only in `meta.splitConversationKey` (one open ticket per conversation).
 * Both customers' versions are checked on write, so an ingest that linked an identity or opened a
 * ticket meanwhile makes this CONFLICT (the desk retries with fresh copies) instead of being undone.
 *
 * @example
 * const { customer } = await mergeCustomersIn(tx, ctx, "cus-wa", "cus-mail", actor, appendTicketEvents);
 */
export async function mergeCustomersIn(
  tx: StoreOps,
  ctx: CustomerActionContext,
  sourceId: string,
  targetId: string,
  actor: Actor,
  appendTicketEvents: (
    tx: StoreOps,
    ticketId: string,
    drafts: EventDraft[],
    actor: Actor,
    at: Date,
  ) => Promise<unknown>,
): Promise<{ customer: Customer; moved: number; identities: Identity[] }> {
  const now = ctx.now();
  const [source, target] = [await tx.getCustomer(sourceId), await tx.getCustomer(targetId)];
  if (!source || !target)
    throw new StoredeskError({ code: "NOT_FOUND", message: `Customer ${!source ? sourceId : targetId} not found` });
  if (source.mergedInto || target.mergedInto) {
    throw new StoredeskError({
      code: "INVALID_INPUT",
      message: "A customer already merged into another cannot take part in a merge",
      path: [source.mergedInto ? "sourceId" : "targetId"],
    });
  }
  // Free the identities first: each belongs to one customer at a time. The source keeps only its
  // id and the pointer: its personal data lives on in the target, so erasing the target erases the person.
  await tx.updateCustomer({
    ...source,
    identities: [],
    name: null,
    locale: null,
    attributes: {},
    mergedInto: target.id,
    updatedAt: now,
  });
  const merged: Customer = {
    ...target,
    identities: [...target.identities, ...source.identities],
    name: target.name ?? source.name,
    locale: target.locale ?? source.locale,
    attributes: { ...source.attributes, ...target.attributes },
    updatedAt: now,
  };
  await tx.updateCustomer(merged);
  const moved = await tx.listTickets({ customerId: source.id });
  const open = new Set(
    (await tx.listTickets({ customerId: target.id })).filter(isOpenInConversation).map(conversationOf),
  );
  const split: string[] = [];
  for (const ticket of moved) {
    let next: Ticket = { ...ticket, customerId: target.id, version: ticket.version + 1, updatedAt: now };
    if (isOpenInConversation(ticket)) {
      if (open.has(conversationOf(ticket))) {
        next = { ...next, conversationKey: null, meta: { ...next.meta, splitConversationKey: ticket.conversationKey } };
        split.push(ticket.id);
      } else open.add(conversationOf(ticket));
    }
    await tx.updateTicket(next, ticket.version);
    await appendTicketEvents(
      tx,
      ticket.id,
      [{ type: "customer.merged", data: { from: source.id, to: target.id } }],
      actor,
      now,
    );
  }
  await appendCustomerEvent(tx, ctx, source.id, "customer.merged_away", actor, { into: target.id });
  await appendCustomerEvent(tx, ctx, target.id, "customer.merged", actor, {
    from: source.id,
    tickets: moved.map((t) => t.id),
    identities: source.identities,
    splitConversations: split,
  });
  if (source.identities.length > 0) {
    await appendCustomerEvent(tx, ctx, target.id, "customer.identities_linked", actor, {
      identities: source.identities,
      source: "merge",
    });
  }
  return { customer: bumped(merged), moved: moved.length, identities: source.identities };
}

/** Moved to `domain/commerce-attributes.ts` (pure; the commerce-context plugin uses it); re-exported here. */
export { commerceAttributes, type CommerceAttributeOptions } from "../domain/commerce-attributes.js";

/**
 * Validates identities given to `desk.linkIdentities` and normalizes them.
 *
 * @example
 * parseIdentities([{ kind: "email", value: "Kim@Example.com" }]) // [{ kind: "email", value: "kim@example.com" }]
 */
export function parseIdentities(identities: unknown): Identity[] {
  if (!Array.isArray(identities))
    throw new StoredeskError({ code: "INVALID_INPUT", message: "identities must be an array", path: ["identities"] });
  return identities.map((i, n) => normalizeIdentity(parseInput(IdentitySchema, i, `identity ${n}`)));
}

/** The `{ field: { from, to } }` of attributes that `patch` changes. */
function attributeChanges(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(patch)) {
    const from = Object.hasOwn(current, key) ? current[key] : null;
    if (!Object.hasOwn(current, key) || from !== to) changes[key] = { from, to };
  }
  return changes;
}

/** The copy as the store now holds it (updateCustomer bumped the version). */
function bumped(customer: Customer): Customer {
  return customer.version === undefined ? customer : { ...customer, version: customer.version + 1 };
}

function isOpenInConversation(ticket: Ticket): boolean {
  return ticket.conversationKey !== null && ticket.status !== "closed" && !ticket.mergedInto;
}

function conversationOf(ticket: Ticket): string {
  return `${ticket.channel}\u0000${ticket.conversationKey ?? ""}`;
}
