/** The one place a decision's effects are carried out. */
import type { Effect } from "../decision.js";
import type { StoreOps } from "../ports/store.js";
import type { DeskContext } from "./context.js";

/**
 * Carries out the effects that belong in the transaction (`schedule`, `cancel_job`) and returns
 * the others, which run after commit.
 *
 * @example
 * const later = await performStoreEffects(ctx, tx, decision.effects);
 */
export async function performStoreEffects(ctx: DeskContext, tx: StoreOps, effects: Effect[]): Promise<Effect[]> {
  const later: Effect[] = [];
  for (const effect of effects) {
    if (effect.type === "schedule") {
      await tx.scheduleJob({ ...effect.job, id: ctx.newId(), attempts: 0, lockedBy: null, lockedUntil: null });
    } else if (effect.type === "cancel_job") await tx.cancelJob(effect.key);
    else later.push(effect);
  }
  return later;
}
