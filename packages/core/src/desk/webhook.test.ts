import { memoryStore } from "../store-memory/index.js";
import { runWebhookBatchConformance } from "../testing/webhook-batch-conformance.js";

runWebhookBatchConformance("the memory store", async () => ({ store: memoryStore(), close: async () => {} }));
