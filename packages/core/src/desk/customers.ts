import { normalizeIdentity, identityKey, type Customer, type Identity } from "../domain/customer.js";
import type { StoreOps } from "../ports/store.js";

/**
 * Finds the customer holding any of these identities, or creates one, and
 * links the identities the customer did not have yet (unless another customer
 * holds them: two known people are never merged silently), with a
 * `customer.identities_linked` event in the customer's log.
 *
 * @example
 * const { customer, created } = await findOrCreateCustomer(tx, { identities: [{ kind: "email", value: "kim@example.com" }] }, now, randomUUID);
 */
export async function findOrCreateCustomer(
  tx: StoreOps,
  input: { identities: Identity[]; name?: string | null | undefined; locale?: string | null | undefined },
  now: Date,
  newId: () => string,
): Promise<{ customer: Customer; created: boolean; linked: Identity[] }> {
  const identities = dedupe(input.identities.map(normalizeIdentity));
  let customer: Customer | null = null;
  const unowned: Identity[] = [];
  for (const identity of identities) {
    const owner = await tx.findCustomerByIdentity(identity);
    if (owner && !customer) customer = owner;
    else if (!owner) unowned.push(identity);
  }
  if (!customer) {
    const created: Customer = {
      id: newId(),
      name: input.name ?? null,
      locale: input.locale ?? null,
      identities,
      attributes: {},
      createdAt: now,
      updatedAt: now,
      mergedInto: null,
    };
    await tx.insertCustomer(created);
    return { customer: created, created: true, linked: [] };
  }
  const fillName = !customer.name && input.name;
  if (unowned.length > 0 || fillName) {
    const next = {
      ...customer,
      identities: [...customer.identities, ...unowned],
      name: customer.name ?? input.name ?? null,
      updatedAt: now,
    };
    // The copy carries the version it was read at: a merge or another link in between is CONFLICT
    // (the desk retries the ingest) instead of a write through a stale copy.
    await tx.updateCustomer(next);
    customer = next.version === undefined ? next : { ...next, version: next.version + 1 };
    if (unowned.length > 0) {
      await tx.appendCustomerEvent({
        id: newId(),
        customerId: customer.id,
        type: "customer.identities_linked",
        at: now,
        actor: { kind: "customer", id: customer.id },
        data: { identities: unowned, source: "ingest" },
      });
    }
  }
  return { customer, created: false, linked: unowned };
}

function dedupe(identities: Identity[]): Identity[] {
  const seen = new Set<string>();
  return identities.filter((i) => {
    const key = identityKey(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
