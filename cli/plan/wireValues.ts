import * as pulumi from "@pulumi/pulumi";
import { SECRET_MASK, UNKNOWN_MASK } from "./model";

// Signatures of Pulumi's wire format for special values (see the SDK's runtime/rpc).
const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const ASSET_SIG = pulumi.runtime.specialAssetSig;
const ARCHIVE_SIG = pulumi.runtime.specialArchiveSig;
const OUTPUT_SIG = pulumi.runtime.specialOutputValueSig;
const UNKNOWN = pulumi.runtime.unknownValue;

/**
 * Turns a value as the engine would receive it (Pulumi's wire format) into plain JSON for the plan:
 * secrets masked, resource references as their URN, assets and archives described by their source.
 */
export function plainFromWire(value: unknown): unknown {
  if (value === UNKNOWN) return UNKNOWN_MASK;
  if (Array.isArray(value)) return value.map(plainFromWire);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  switch (record[SIG_KEY]) {
    case SECRET_SIG:
      return SECRET_MASK;
    case RESOURCE_SIG:
      return record.urn;
    case OUTPUT_SIG:
      return record.secret ? SECRET_MASK : "value" in record ? plainFromWire(record.value) : UNKNOWN_MASK;
    case ASSET_SIG:
    case ARCHIVE_SIG:
      return { asset: record.path ?? record.uri ?? (record.text === undefined ? "[assets]" : "[text]") };
    default:
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainFromWire(v)]));
  }
}
