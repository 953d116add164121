/** Serves a Web `fetch` handler on node:http through @hono/node-server (the server, the tests and bench/sse). */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";

/** A running server: its base URL and a close function. */
export interface NodeServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0 = any free port) on 127.0.0.1 unless `hostname` says otherwise.
 *
 * @example
 * const server = await serveNode((request) => app.fetch(request), 0);
 * console.log(server.url);
 */
export function serveNode(
  fetch: (request: Request) => Response | Promise<Response>,
  port = 0,
  hostname = "127.0.0.1",
): Promise<NodeServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Open SSE streams would hold close() forever: end them first.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
