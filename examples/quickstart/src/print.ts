import { formatDue, type Desk, type Ticket } from "@storedesk/core";

/** Prints the inbox the way an agent's list view would show it. */
export async function printInbox(desk: Desk, title: string): Promise<void> {
  const tickets = await desk.listTickets({});
  console.log(`\n── ${title}: ${tickets.length} tickets ──`);
  for (const t of tickets) {
    const customer = await desk.getCustomer(t.customerId);
    const messages = await desk.listMessages(t.id);
    const inbound = messages.filter((m) => m.direction === "inbound").length;
    const acks = messages.filter((m) => m.automatic && m.direction === "outbound");
    console.log(`SD-${t.number}  [${t.status}] ${t.category.padEnd(15)} ${t.priority.padEnd(6)} ${t.channel.padEnd(8)} ${customer?.name ?? "?"} — "${t.subject ?? ""}"`);
    console.log(`       ${inbound} customer message(s), team ${t.team ?? "-"}, ${slaLine(t)}${t.complaint ? `, complaint step: ${t.complaint.step}` : ""}${t.followUpOf ? ", follow-up" : ""}`);
    for (const ack of acks) console.log(`       auto-reply → ${ack.text.split("\n").find((l) => /SD-|접수|reply by|답변/.test(l) && /\d{4}|by/.test(l)) ?? ack.text.split("\n")[0]}`);
  }
}

function slaLine(t: Ticket): string {
  const due = (t.sla?.metrics ?? []).filter((m) => m.dueAt && (m.status === "active" || m.status === "breached"));
  if (due.length === 0) return "no SLA clock running";
  // The shop's clock: Seoul time, 24-hour.
  return due.map((m) => `${m.metric} due ${formatDue(new Date(m.dueAt!), "ko", "Asia/Seoul")} KST (${m.status})`).join(", ");
}
