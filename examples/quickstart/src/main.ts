/**
 * storedesk quickstart: runs the main flows end to end and prints the inbox.
 * `--memory` keeps everything in memory; by default data lives in an embedded
 * PostgreSQL (PGlite) under ./.data, so a second run continues where the first stopped.
 */
import { memoryStore } from "@storedesk/core";
import { inboxDemo } from "./inbox.js";

const store = memoryStore();
await inboxDemo(store);
