import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ENVIRONMENT_DEFAULTS, type EnvironmentDefaults } from "../../model/environments";

/** Inputs of a resource as a policy sees them (values may be unknown during a real preview: rules skip those). */
export type Props = Record<string, unknown>;

/** A resource as stack rules see it: enough to follow references between resources. */
export interface StackResource {
  type: string;
  name: string;
  urn: string;
  /** URN of the parent resource, when there is one. */
  parent?: string;
  props: Props;
}

/** A rule about one resource type: returns the problems it finds, each one violation. */
export function resourceRule(
  name: string,
  description: string,
  enforcementLevel: EnforcementLevel,
  types: readonly string[],
  check: (props: Props, resource: { name: string; urn: string }) => Array<string | undefined> | string | undefined,
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel,
    validateResource: (args, report) => {
      if (!types.includes(args.type)) return;
      const found = check(args.props, { name: args.name, urn: args.urn });
      for (const problem of [found].flat()) if (problem) report(problem);
    },
  };
}

/** A rule across resources: returns [urn, message] pairs. */
export function stackRule(
  name: string,
  description: string,
  enforcementLevel: EnforcementLevel,
  check: (resources: readonly StackResource[]) => Array<[string, string]>,
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel,
    validateStack: (args, report) => {
      const resources = args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, parent: r.parent?.urn, props: r.props as Props }));
      for (const [urn, message] of check(resources)) report(message, urn);
    },
  };
}

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const record = (value: unknown): Props => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {});
/** Container definitions are JSON text in the task definition's inputs. */
export function containers(props: Props): Props[] {
  if (typeof props.containerDefinitions !== "string") return [];
  try {
    return list(JSON.parse(props.containerDefinitions)).map(record);
  } catch {
    return [];
  }
}
export const environmentOf = (props: Props) => record(props.tags)["flipstack:environment"];

/**
 * What the resource's environment kind promises (its `flipstack:environment` tag, model/environments.ts), or
 * undefined without one. Rules decide from these promises, never from an environment's name, so a new kind that
 * protects its state gets the same rules.
 */
export function environmentDefaultsOf(props: Props): EnvironmentDefaults | undefined {
  const kind = environmentOf(props);
  return typeof kind === "string" && Object.hasOwn(ENVIRONMENT_DEFAULTS, kind) ? ENVIRONMENT_DEFAULTS[kind as keyof typeof ENVIRONMENT_DEFAULTS] : undefined;
}

/** A Flipstack tag, e.g. `flipstack:color` or `flipstack:route`: how rules find a child by its role, not its name. */
export const flipstackTag = (props: Props, key: string): unknown => record(props.tags)[`flipstack:${key}`];
