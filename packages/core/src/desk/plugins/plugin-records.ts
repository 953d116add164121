/** A plugin's records: the Store port's keyed records, confined to the plugin's own namespace. */
import { StoredeskError } from "../../errors.js";
import type { PluginRecords } from "../../ports/desk-plugin.js";
import type { StoreOps } from "../../ports/store.js";

const NAMESPACE = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/**
 * The records API of plugin `pluginId` over `ops` (the store, or a transaction): every namespace
 * it names is stored under `<pluginId>.<namespace>`, so no plugin reads another's records.
 *
 * @example
 * const records = pluginRecords("knowledge", tx, clock.now);
 * await records.put({ namespace: "articles", key: "a1", value: { title: "반품" } });
 */
export function pluginRecords(pluginId: string, ops: StoreOps, now: () => Date): PluginRecords {
  const full = (namespace: string): string => {
    if (!NAMESPACE.test(namespace)) {
      throw new StoredeskError({
        code: "INVALID_INPUT",
        message: `Record namespace "${namespace}": lowercase words with . _ -`,
        path: ["namespace"],
      });
    }
    return `${pluginId}.${namespace}`;
  };
  const strip = <R extends { namespace: string }>(record: R): R => ({
    ...record,
    namespace: record.namespace.slice(pluginId.length + 1),
  });
  return {
    get: async (namespace, key) => {
      const record = await ops.getRecord(full(namespace), key, now());
      return record ? strip(record) : null;
    },
    put: async (record, expectedVersion) => {
      const input = { ...record, namespace: full(record.namespace), updatedAt: now() };
      return strip(await ops.putRecord(input, expectedVersion));
    },
    delete: (namespace, key) => ops.deleteRecord(full(namespace), key),
    list: async (namespace, query = {}) =>
      (await ops.listRecords(full(namespace), { ...query, now: now() })).map(strip),
  };
}
