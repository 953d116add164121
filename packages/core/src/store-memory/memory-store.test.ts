import { runStoreConformance } from "../testing/store-conformance.js";
import { memoryStore } from "./memory-store.js";

runStoreConformance({ name: "memoryStore", makeStore: (options) => memoryStore(options), honoursClock: true });
