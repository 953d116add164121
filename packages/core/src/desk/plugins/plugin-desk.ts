/** The desk as plugins see it (`PluginDesk`): its public methods plus the contract's own members. */
import type { Customer, Identity } from "../../domain/customer.js";
import type { Actor } from "../../domain/event.js";
import type { PluginDesk, PluginSendInput } from "../../ports/desk-plugin.js";
import type { TicketAction } from "../../ticket/apply-ticket-action.js";
import { act } from "../actions/ticket-fields.js";
import { linkIdentities } from "../actions/identities.js";
import { commerceContextFor } from "../commerce-context.js";
import type { DeskContext } from "../context.js";
import { sendOnTicket } from "../outbox/send-on-ticket.js";
import { mutateTicket } from "../save-ticket.js";
import type { Desk } from "../types.js";
import { applyPatch } from "./run-hooks.js";

/**
 * Builds the `PluginDesk` of a desk: its public methods (by prototype) and the members the
 * contract adds (`decide`, `act`, `send`, `linkFoundIdentities`, `commerceContextOf`, `readTicket`, `readCustomer`, `emit`, `reportError`).
 *
 * @example
 * ctx.pluginDesk = pluginDeskOf(ctx, desk);
 */
export function pluginDeskOf(ctx: DeskContext, desk: Desk): PluginDesk {
  const members = {
    async decide(ticketId: string, decide: Parameters<PluginDesk["decide"]>[1], actor?: Actor, opts?: { at?: Date }) {
      const { ticket } = await mutateTicket(
        ctx,
        ticketId,
        actor ?? { kind: "system", id: null },
        (current, _tx, now) => {
          const decision = decide(current, now);
          if (!decision) return { ok: true, value: current, events: [], effects: [] };
          return {
            ok: true,
            value: applyPatch(current, decision.ticket),
            events: decision.events ?? [],
            effects: decision.effects ?? [],
          };
        },
        undefined,
        opts?.at ? { at: opts.at } : {},
      );
      return ticket;
    },
    act: (ticketId: string, action: TicketAction, actor: Actor, opts?: { at?: Date }) =>
      act(ctx, ticketId, action, actorInput(actor), opts?.at),
    send: (ticketId: string, input: PluginSendInput, actor: Actor) =>
      sendOnTicket(
        ctx,
        ticketId,
        {
          text: input.text,
          authorKind: input.authorKind ?? "system",
          automatic: input.automatic ?? true,
          ...(input.purpose ? { purpose: input.purpose } : {}),
          ...(input.options ? { options: input.options } : {}),
        },
        actor,
      ),
    linkFoundIdentities: (
      customerId: string,
      identities: Identity[],
      opts: { actor: Actor; onlyUnowned?: boolean; attributes?: Record<string, unknown> },
    ): Promise<Customer> =>
      linkIdentities(ctx, customerId, identities, {
        source: "commerce",
        actor: opts.actor,
        ...(opts.onlyUnowned !== undefined ? { onlyUnowned: opts.onlyUnowned } : {}),
        ...(opts.attributes ? { attributes: opts.attributes } : {}),
      }),
    commerceContextOf: (customer: Customer, opts?: { refresh?: boolean }) =>
      commerceContextFor(ctx, customer, opts?.refresh ?? false),
    readTicket: (ticketId: string) => ctx.store.getTicket(ticketId),
    readCustomer: (customerId: string) => ctx.store.getCustomer(customerId),
    emit(type: `plugin.${string}`, data: Record<string, unknown>) {
      (ctx.emitter.emit as (event: string, payload: unknown) => boolean)(type, data);
    },
    reportError(error: unknown, context: string) {
      ctx.emitter.emit("error", { error, context });
    },
  };
  return Object.assign(Object.create(desk) as Desk, members) as unknown as PluginDesk;
}

/** The actor input form `act` takes, from an actor. */
function actorInput(actor: Actor): { system: string } | { bot: string } | { agentId: string } {
  if (actor.kind === "agent" && actor.id) return { agentId: actor.id };
  if (actor.kind === "bot") return { bot: actor.id ?? "bot" };
  return { system: actor.id ?? "system" };
}
