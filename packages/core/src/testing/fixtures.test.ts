import { describe, expect, it } from "vitest";
import { CustomerSchema } from "../domain/customer.js";
import { MessageSchema } from "../domain/message.js";
import { TicketSchema } from "../domain/ticket.js";
import { sampleCustomer, sampleMessage, sampleTicket } from "./fixtures.js";

describe("test fixtures", () => {
  it("are valid domain records (a fixture the schema refuses would test nothing real)", () => {
    expect(TicketSchema.parse(sampleTicket())).toEqual(sampleTicket());
    expect(CustomerSchema.parse(sampleCustomer())).toEqual(sampleCustomer());
    expect(MessageSchema.parse(sampleMessage())).toEqual(sampleMessage());
  });

  it("apply overrides over the defaults", () => {
    const ticket = sampleTicket({ channel: "whatsapp", status: "pending" });
    expect(ticket).toMatchObject({ channel: "whatsapp", status: "pending", id: "t_1" });
    expect(sampleCustomer({ name: null }).name).toBeNull();
    expect(sampleMessage({ direction: "outbound", authorKind: "agent" })).toMatchObject({
      direction: "outbound",
      authorKind: "agent",
      ticketId: "t_1",
    });
  });

  it("take the store conformance suite's older call forms (customer and number, ticket id first)", () => {
    expect(sampleTicket("c_9", 7, { status: "pending" })).toMatchObject({
      customerId: "c_9",
      number: 7,
      status: "pending",
    });
    expect(sampleMessage("t_9", { text: "안녕" })).toMatchObject({ ticketId: "t_9", text: "안녕" });
  });

  it("give each call its own arrays, so one test's push does not leak into the next", () => {
    sampleTicket().tags.push("x");
    expect(sampleTicket().tags).toEqual([]);
  });
});
