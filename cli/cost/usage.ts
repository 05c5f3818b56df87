import { z } from "zod";
import { readYamlFile } from "../config/userFiles";
import { UsageError } from "../usageError";

/** Usage-based quantities of one resource; which apply depends on its type. */
const resourceUsageSchema = z
  .object({
    /** GB a NAT gateway or interface endpoint processes per month. */
    dataProcessedGb: z.number().nonnegative(),
    /** Average load balancer capacity units (LCU, or NLCU for a network load balancer) per hour. */
    capacityUnits: z.number().nonnegative(),
    /** GB written to a log group, or delivered by a flow log, per month. */
    ingestedGb: z.number().nonnegative(),
    /** GB kept in a bucket. */
    storedGb: z.number().nonnegative(),
  })
  .partial()
  .strict();

export type ResourceUsage = z.infer<typeof resourceUsageSchema>;

const defaultsSchema = z
  .object({
    natGateway: resourceUsageSchema.pick({ dataProcessedGb: true }),
    interfaceEndpoint: resourceUsageSchema.pick({ dataProcessedGb: true }),
    loadBalancer: resourceUsageSchema.pick({ capacityUnits: true }),
    logGroup: resourceUsageSchema.pick({ ingestedGb: true }),
    flowLog: resourceUsageSchema.pick({ ingestedGb: true }),
    bucket: resourceUsageSchema.pick({ storedGb: true }),
  })
  .partial()
  .strict();

const usageFileSchema = z
  .object({
    /** Hours a month the estimate bills always-on resources for. */
    hoursPerMonth: z.number().positive().max(744),
    defaults: defaultsSchema,
    /** Per resource, by its Pulumi name (e.g. `network-nat-eu-west-1a`, `logs-api`). */
    resources: z.record(z.string(), resourceUsageSchema),
  })
  .partial()
  .strict();

export interface Usage {
  hoursPerMonth: number;
  defaults: {
    natGateway: { dataProcessedGb: number };
    interfaceEndpoint: { dataProcessedGb: number };
    loadBalancer: { capacityUnits: number };
    logGroup: { ingestedGb: number };
    flowLog: { ingestedGb: number };
    bucket: { storedGb: number };
  };
  resources: Record<string, ResourceUsage>;
}

/** What the estimate assumes when no usage file says otherwise; the README lists the same figures. */
export const DEFAULT_USAGE: Usage = {
  hoursPerMonth: 730,
  defaults: {
    natGateway: { dataProcessedGb: 100 },
    interfaceEndpoint: { dataProcessedGb: 10 },
    loadBalancer: { capacityUnits: 1 },
    logGroup: { ingestedGb: 5 },
    flowLog: { ingestedGb: 10 },
    bucket: { storedGb: 10 },
  },
  resources: {},
};

/** Reads a usage file (YAML or JSON) over the defaults; a bad key or value is a usage error naming it. */
export function loadUsage(file: string | undefined): Usage {
  if (!file) return DEFAULT_USAGE;
  const raw = readYamlFile(file, "--usage file") ?? {};
  const parsed = usageFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = [...issue.path, ...("keys" in issue ? (issue.keys as string[]) : [])].join(".");
    throw new UsageError(`--usage ${file}: \`${key || "(file)"}\` ${issue.message}; see "Cost estimate" in the README for the keys`);
  }
  const given = parsed.data;
  const defaults = { ...DEFAULT_USAGE.defaults };
  for (const kind of Object.keys(given.defaults ?? {}) as Array<keyof Usage["defaults"]>) {
    defaults[kind] = { ...defaults[kind], ...given.defaults?.[kind] } as never;
  }
  return { hoursPerMonth: given.hoursPerMonth ?? DEFAULT_USAGE.hoursPerMonth, defaults, resources: given.resources ?? {} };
}
