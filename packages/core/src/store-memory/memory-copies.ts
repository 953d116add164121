/** Copies and freezing of stored values in the memory store (on the hot path: every read and write). */
import type { Job } from "../domain/job.js";
import type { Ticket } from "../domain/ticket.js";
/**
 * Deep copy of stored values (plain objects, arrays, Dates and primitives: all
 * the domain holds). Hand-written because structuredClone serializes and was
 * most of the ingest cost in the benchmark.
 */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out.push(v === null || typeof v !== "object" ? v : clone(v));
    }
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const out: Record<string, unknown> = {};
  // Primitives inline (most fields are): no call per field.
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = v === null || typeof v !== "object" ? v : clone(v);
  }
  return out as T;
}
/** The copy of a job the store keeps: as given, without a lease unless it carries one. */
export function storedJob(job: Job): Job {
  const out = clone(job);
  out.lockedBy = job.lockedBy ?? null;
  out.lockedUntil = out.lockedUntil ?? null;
  return out;
}

/** Keys of an SLA snapshot metric, in the order the desk writes them. */
const SNAPSHOT_METRIC_KEYS = [
  "metric",
  "status",
  "dueAt",
  "targetMinutes",
  "businessTimeUsedMs",
  "breachedAt",
  "fulfilledAt",
] as const;

/** Whether `m` holds exactly the snapshot metric's keys, all primitives (the shape a fast copy keeps exactly). */
function isPlainSnapshotMetric(m: Record<string, unknown>): boolean {
  const keys = Object.keys(m);
  if (keys.length !== SNAPSHOT_METRIC_KEYS.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const v = m[keys[i]!];
    if (keys[i] !== SNAPSHOT_METRIC_KEYS[i] || (v !== null && typeof v === "object")) return false;
  }
  return true;
}

/** Deep-frozen copy of a ticket's SLA snapshot: the common shape field by field, anything else as {@link frozenCopy}. */
function frozenSla(sla: Record<string, unknown>): unknown {
  const metrics = sla.metrics;
  const keys = Object.keys(sla);
  if (
    !Array.isArray(metrics) ||
    keys.length !== 3 ||
    keys[0] !== "policyId" ||
    keys[1] !== "evaluatedAt" ||
    keys[2] !== "metrics"
  )
    return frozenCopy(sla);
  const out: unknown[] = [];
  for (const m of metrics as Array<Record<string, unknown>>) {
    out.push(
      m !== null && typeof m === "object" && isPlainSnapshotMetric(m)
        ? Object.freeze({
            metric: m.metric,
            status: m.status,
            dueAt: m.dueAt,
            targetMinutes: m.targetMinutes,
            businessTimeUsedMs: m.businessTimeUsedMs,
            breachedAt: m.breachedAt,
            fulfilledAt: m.fulfilledAt,
          })
        : frozenCopy(m),
    );
  }
  return Object.freeze({
    policyId: frozenCopy(sla.policyId),
    evaluatedAt: frozenCopy(sla.evaluatedAt),
    metrics: Object.freeze(out),
  });
}

/**
 * Whether a ticket field is kept deep-frozen in the store and handed out as is: the SLA snapshot
 * and the complaint case, the large nested parts that callers replace whole and never edit in
 * place. Sharing them saves copying them on every read.
 */
const sharedTicketField = (key: string) => key === "sla" || key === "complaint";

/**
 * The form a ticket is stored in: a copy whose SLA snapshot and complaint case are deep-frozen
 * (see {@link readTicket}). A part that is still the frozen one of `previous` (the caller did not
 * replace it since reading) is kept, not copied again. Made on every ticket write.
 */
export function storedTicket(ticket: Ticket, previous?: Ticket): Ticket {
  const out: Record<string, unknown> = { ...ticket };
  for (const key in out) {
    const v = out[key];
    if (v === null || typeof v !== "object") continue;
    if (v instanceof Date) out[key] = new Date(v.getTime());
    else if (sharedTicketField(key)) {
      if (previous === undefined || v !== (previous as Record<string, unknown>)[key])
        out[key] = key === "sla" && !Array.isArray(v) ? frozenSla(v as Record<string, unknown>) : frozenCopy(v);
    } else out[key] = clone(v);
  }
  return out as Ticket;
}

/**
 * A stored ticket as handed to a caller: its own copy, except the deep-frozen SLA snapshot and
 * complaint case, which are shared (mutating them throws; nothing stored changes either way).
 * Made on every ticket read, so it is on the hot path.
 */
export function readTicket(stored: Ticket): Ticket {
  const out: Record<string, unknown> = { ...stored };
  for (const key in out) {
    const v = out[key];
    if (v === null || typeof v !== "object" || sharedTicketField(key)) continue;
    out[key] = v instanceof Date ? new Date(v.getTime()) : clone(v);
  }
  return out as Ticket;
}

/**
 * A deep-frozen deep copy (one pass): what immutable records (messages, events) are stored as.
 */
export function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out.push(v === null || typeof v !== "object" ? v : frozenCopy(v));
    }
    return Object.freeze(out) as T;
  }
  if (value instanceof Date) return Object.freeze(new Date(value.getTime())) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = v === null || typeof v !== "object" ? v : frozenCopy(v);
  }
  return Object.freeze(out) as T;
}

/**
 * Deep-freezes an immutable record (messages, events) so it can be handed out
 * without copying: a caller mutating it gets a TypeError, never a changed store.
 */
export function frozen<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  if (value instanceof Date) return Object.freeze(value);
  for (const key in value) frozen((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
