/**
 * The plan's JSON contract. Fields may be added, never removed or renamed: pull-request comments,
 * `flipstack diff` and other repositories' tooling read saved plans. Shared by the CLI and the policy pack, which
 * runs inside `pulumi preview` and so never imports cli/.
 */
export interface Plan {
  stack: string;
  project: string;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  violations: Violation[];
  /**
   * Region of the stack's default AWS provider (`aws:region`, else `AWS_REGION`): the region of every resource that
   * names no provider of its own. Resources with an explicit provider take that provider's `region` input.
   */
  region?: string;
  /** Violations that the program's policy exceptions turned off or re-ranked, each with its reason. */
  suppressed?: Array<Violation & { now: Severity | "off"; reason: string }>;
}

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource; null only for the root stack resource. */
  parent: string | null;
  /** The physical id the (mock) provider returned; references in other resources' inputs use it. */
  id?: string;
  /** True for resources managed by a provider, false for components. */
  custom: boolean;
  /** What the provider would receive; secrets are replaced by {@link SECRET_MASK}. */
  inputs: Record<string, unknown>;
  options: ResourceOptions;
}

export interface ResourceOptions {
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  /** Explicit `dependsOn` URNs (dependencies that do not come through an input). */
  dependsOn: string[];
  ignoreChanges: string[];
  replaceOnChanges: string[];
  /** Provider reference (`urn::id`) when one was passed explicitly or inherited. */
  provider?: string;
}

export type Severity = "mandatory" | "advisory";

export interface Violation {
  rule: string;
  severity: Severity;
  urn: string;
  message: string;
}

/** What every secret value looks like in a plan, whatever the format. */
export const SECRET_MASK = "[secret]";
/** A value the mock runtime could not know (only when a program asks for one explicitly). */
export const UNKNOWN_MASK = "[unknown]";
