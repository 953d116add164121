/** Routing: which agent gets a ticket, and which waiting ticket is served next. */
export * from "./routing-agent.js";
export * from "./assign-ticket.js";
export * from "./next-from-queue.js";
