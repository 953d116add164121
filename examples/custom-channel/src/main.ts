/**
 * Runs one contact-form post end to end: a desk with the contact-form channel
 * behind a bare node:http server, a signed form post from "the storefront",
 * the ticket it opens and the acknowledgement sent back.
 *
 *   pnpm --filter @storedesk/example-custom-channel start
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDesk, memoryStore, signHmac } from "@storedesk/core";
import { contactFormChannel } from "./contact-form-channel.js";
import type { ContactFormReply } from "./contact-form-channel.js";

const secret = process.env.STOREFRONT_FORM_SECRET ?? "dev-only-form-secret";

// A real shop calls its transactional email service here.
async function sendReply(reply: ContactFormReply): Promise<{ id: string }> {
  console.log(
    `\n→ reply to ${reply.to.email} (${reply.ticketRef})\n  subject: ${reply.subject}\n  ${reply.text.replace(/\n/g, "\n  ")}`,
  );
  return { id: `demo-${reply.idempotencyKey}` };
}

const desk = createDesk({
  store: memoryStore(),
  channels: [contactFormChannel({ secret, sendReply })],
  shop: { name: "달빛상점" },
});
const handle = desk.webhook("contact-form");

// Web Request in, Web Response out: any server can mount the handler. Here: plain node:http.
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
      method: req.method ?? "POST",
      headers,
      body: Buffer.concat(chunks),
    });
    handle(request)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((err: unknown) => {
        console.error(err);
        res.writeHead(500).end();
      });
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

// What the storefront does when a customer submits the form.
const body = JSON.stringify({
  submissionId: "sub_demo_0001",
  submittedAt: new Date().toISOString(),
  name: "김민수",
  email: "minsu.kim@example.com",
  subject: "배송 문의",
  message: "11월 20일에 주문한 운동화가 아직 안 왔어요. 언제 받을 수 있을까요?",
  orderNumber: "#1001",
  locale: "ko",
});
const response = await fetch(`http://127.0.0.1:${port}/webhooks/contact-form`, {
  method: "POST",
  headers: { "content-type": "application/json", "x-storefront-signature": `sha256=${signHmac(body, secret, "hex")}` },
  body,
});
console.log(`\n← storefront got HTTP ${response.status} ${await response.text()}`);

const [ticket] = await desk.listTickets({});
if (!ticket) throw new Error("no ticket was opened");
console.log(
  `\nticket SD-${ticket.number}: "${ticket.subject}" [${ticket.status}, ${ticket.category}, ${ticket.priority}]`,
);
for (const m of await desk.listMessages(ticket.id))
  console.log(`  ${m.direction.padEnd(8)} ${m.automatic ? "(auto) " : ""}${m.text.split("\n")[0]}`);

server.close();
