import { createHash } from "node:crypto";

/**
 * Physical-name limits of AWS resources, handled in one place. Flipstack leaves physical names to Pulumi's
 * auto-naming or to a `namePrefix`, so replacements can be created before the old resource is deleted; these
 * helpers make the prefixes and the few full names valid and short enough.
 */

/** Application load balancer names: at most 32 characters. */
export const LOAD_BALANCER_NAME_MAX = 32;
/** Target group names: at most 32 characters. */
export const TARGET_GROUP_NAME_MAX = 32;
/** Pulumi's `namePrefix` for load balancers and target groups: at most 6 characters. */
export const LB_NAME_PREFIX_MAX = 6;

/**
 * A valid `namePrefix` for load balancers and target groups: lower-case letters, digits and hyphens, not starting
 * with a hyphen or `internal-`, not ending with a hyphen, at most `maxLength` characters, never empty.
 */
export function namePrefix(name: string, maxLength = LB_NAME_PREFIX_MAX): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "")
    .replace(/^internal-/, "")
    .replace(/^-+/, "")
    .slice(0, maxLength)
    .replace(/-+$/, "");
  return cleaned || "fs";
}

/**
 * Joins `parts` with hyphens; when the result is longer than `maxLength`, keeps the front and ends with an 8-hex
 * hash of the whole name, so that distinct inputs stay distinct and the same input always gives the same name.
 */
export function fitName(parts: readonly string[], maxLength: number): string {
  const full = parts.filter((p) => p.length > 0).join("-");
  if (full.length <= maxLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  const head = full.slice(0, Math.max(0, maxLength - hash.length - 1)).replace(/-+$/, "");
  return head ? `${head}-${hash}` : hash.slice(0, maxLength);
}

/** IAM role and instance profile `namePrefix`: at most 38 characters (the provider adds a 26-character suffix). */
export const IAM_NAME_PREFIX_MAX = 38;

/** A `namePrefix` for IAM roles and instance profiles built from a component's name and the role's purpose. */
export function iamNamePrefix(name: string, purpose: string): string {
  return `${fitName([name, purpose], IAM_NAME_PREFIX_MAX - 1)}-`;
}

/**
 * A name made valid for ECS services and task families (letters, digits, `-`, `_`), whose physical names Pulumi
 * derives from the logical name: a release id such as `2026.11.3` or `1.0+build` would put `.` or `+` in them,
 * which ECS refuses. Names that are already valid are returned unchanged.
 */
export function ecsSafeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "-");
}

/** A name made valid for an EC2 launch template (letters, digits and `( ) . - / _`; no `+`). */
export function launchTemplateSafeName(name: string): string {
  return name.replace(/[^A-Za-z0-9()./_-]/g, "-");
}

/** A DNS label is at most 63 characters. */
export const DNS_LABEL_MAX = 63;

/**
 * The Cloud Map service name of one release in one slot: `<service>-<color>-<release>` as a DNS label (lower-case
 * letters, digits and hyphens; at most 63, hashed beyond). Unique per release, so that a slot's next release can
 * register before the previous one is deleted.
 */
export function discoveryServiceName(service: string, color: string, release: string): string {
  const label = (text: string) => text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  return fitName([label(service), color, label(release)], DNS_LABEL_MAX);
}
