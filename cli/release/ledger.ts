import { z } from "zod";
import { COLORS, RELEASE_PHASES, type Color } from "../../components/release";
import { EXIT, ReleaseError } from "./errors";

export { COLORS, otherColor, RELEASE_PHASES } from "../../components/release";
export type { Color, Phase } from "../../components/release";

// `pulumi config set --path` stores an all-digit version as a number; the ledger may carry either spelling.
const id = z.union([z.string(), z.number().transform(String)]);
const color = z.enum(COLORS);
const perColor = <T extends z.ZodType>(value: T) => z.object({ blue: value.optional(), green: value.optional() });

/** A whole number that `pulumi config set --path` may have stored as text. */
const count = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
// Schema versions travel as text like the other slot fields (config writes are text); the rule parses them.
// `build` appears only in the stack config (the mark `release deploy --build` writes); ledgers name images.
const slotRelease = z.object({
  version: id,
  ami: z.string().optional(),
  image: z.string().optional(),
  build: z.string().optional(),
  schema: id.optional(),
  schemaMinimum: id.optional(),
});
export type SlotRelease = z.infer<typeof slotRelease>;

/** A release that was rolled back: never deployed or promoted again unless the operator names it (`--retry-failed`). */
const failedRelease = z.object({ version: id, reason: z.string() });
export type FailedRelease = z.infer<typeof failedRelease>;

/** What the last migration left the database at (components/release.ts `SchemaRecord`). */
const migratedSchema = z.object({ schema: count, minimum: count, version: id });
export type MigratedSchema = z.infer<typeof migratedSchema>;

/** How to run a one-off task of a slot's release as its service runs tasks (components/containerService.ts). */
const oneOffTask = z.object({
  clusterArn: z.string(),
  taskDefinitionArn: z.string(),
  containerName: z.string(),
  launchType: z.string().default("FARGATE"),
  subnetIds: z.array(z.string()).min(1),
  securityGroupIds: z.array(z.string()),
  assignPublicIp: z.boolean().default(false),
  logGroupName: z.string(),
  logStreamPrefix: z.string(),
});
export type OneOffTask = z.infer<typeof oneOffTask>;

/** A container slot's ECS service and the task definition its deployment must run (components/blueGreenService.ts). */
const ecsService = z.object({ clusterArn: z.string(), serviceName: z.string(), taskDefinitionArn: z.string() });
export type EcsService = z.infer<typeof ecsService>;

/** One service's release ledger as the deployed stack exports it (`services.<name>`, see components/serviceLedger.ts). */
const ledgerSchema = z.object({
  kind: z.enum(["instances", "containers"]),
  live: color,
  idle: color.nullable(),
  versions: perColor(id.nullable()),
  liveVersion: id.nullable(),
  idleVersion: id.nullable(),
  previousVersion: id.nullable().default(null),
  /** What each slot and the previous live release run, artefacts included; absent from older programs. */
  slots: perColor(slotRelease.nullable()).optional(),
  previous: slotRelease.nullable().optional(),
  generation: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).default(0),
  phase: z.enum(RELEASE_PHASES).nullable().default(null),
  /** Releases that were rolled back, oldest first; absent from older programs. */
  failed: z.array(failedRelease).default([]),
  urls: z.object({ public: z.string(), test: z.string() }),
  testHost: z.string().nullable().default(null),
  smokeTest: z.object({ path: z.string().default("/"), expectStatus: z.number().default(200), versionHeader: z.string().optional() }),
  alarms: z.object({ slots: perColor(z.array(z.string())), extra: z.array(z.string()).default([]) }),
  targetGroupArns: perColor(z.string()).default({}),
  /** The live and test listener rules; absent from older programs. */
  ruleArns: z.object({ live: z.string(), test: z.string().nullable() }).optional(),
  /** Percent of users on the idle slot during a shift (phase `shifting`); absent from older programs. */
  weight: z.number().int().min(0).max(99).default(0),
  /** The service's image repository and whether this stack builds into it; absent for instances and older programs. */
  repository: z.object({ url: z.string(), builds: z.boolean() }).nullable().optional(),
  /** Percent of users per present slot. */
  weights: perColor(z.number()).optional(),
  /** The steps promote walks; an older program shifts all at once. */
  shift: z
    .object({
      strategy: z.enum(["allAtOnce", "canary", "linear"]),
      steps: z.array(z.number()).min(1),
      stepSeconds: z.number(),
      stickinessSeconds: z.number().nullable().default(null),
    })
    .default({ strategy: "allAtOnce", steps: [100], stepSeconds: 0, stickinessSeconds: null }),
  /** The schema the database was last migrated to; absent from older programs and before any release declared one. */
  migrated: migratedSchema.nullable().default(null),
  /** The migration deploy runs before the new slot gets traffic; absent from older programs. */
  migration: z.object({ command: z.array(z.string()).min(1), timeoutSeconds: z.number() }).nullable().default(null),
  /** Per slot of a container service, how to run a one-off task of its release; absent from older programs. */
  oneOffTasks: perColor(oneOffTask).default({}),
  /** Per slot of a container service, its ECS service and task definition; absent from older programs. */
  ecsServices: perColor(ecsService).default({}),
});
export type ServiceLedger = z.infer<typeof ledgerSchema>;

/**
 * The ledger of `service` in a stack's outputs. The deployed stack, not the checkout, says what is live, so every
 * step starts here.
 */
export function serviceLedger(outputs: Record<string, unknown>, stack: string, service: string): ServiceLedger {
  const services = outputs.services;
  if (typeof services !== "object" || services === null) {
    throw new ReleaseError(`stack ${stack} exports no release ledger (output \`services\`); deploy it once with \`pulumi up --stack ${stack}\` before releasing`, EXIT.refused);
  }
  const entry = (services as Record<string, unknown>)[service];
  if (entry === undefined) {
    const known = Object.keys(services).join(", ") || "none";
    throw new ReleaseError(`stack ${stack} has no service "${service}" (deployed services: ${known})`, EXIT.refused);
  }
  const parsed = ledgerSchema.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReleaseError(`stack ${stack}: the ledger of ${service} is not one this flipstack understands (\`${issue.path.join(".")}\`: ${issue.message}); upgrade flipstack or redeploy the stack`);
  }
  return parsed.data;
}

/** Every service's ledger, for `release status`. */
export function allLedgers(outputs: Record<string, unknown>, stack: string): Array<[string, ServiceLedger]> {
  const services = (outputs.services ?? {}) as Record<string, unknown>;
  return Object.keys(services).sort().map((name) => [name, serviceLedger(outputs, stack, name)]);
}

/**
 * The line every exit path prints: which color serves traffic now, and during a shift how users are split
 * (`live: api green 1.0.0 90% / blue 2.0.0 10%`).
 */
export function liveLine(service: string, ledger: Pick<ServiceLedger, "live" | "liveVersion"> & Partial<Pick<ServiceLedger, "weight" | "idle" | "idleVersion">>): string {
  const line = `live: ${service} ${ledger.live} ${ledger.liveVersion ?? "(no release)"}`;
  const weight = ledger.weight ?? 0;
  return weight > 0 && ledger.idle ? `${line} ${100 - weight}% / ${ledger.idle} ${ledger.idleVersion} ${weight}%` : line;
}

/** `blue 2.0.0`, or `-` for an empty slot. */
export function slotLabel(ledger: ServiceLedger, color: Color | null): string {
  return color ? `${color} ${ledger.versions[color] ?? "(empty)"}` : "-";
}

/** The record of `version` if it was rolled back. */
export const failedRecord = (ledger: Pick<ServiceLedger, "failed">, version: string | null): FailedRelease | undefined =>
  version === null ? undefined : ledger.failed.find((f) => f.version === version);
