import { UsageError } from "../usageError";

export type Color = "blue" | "green";

export interface SlotRelease {
  version: string;
  ami?: string;
  image?: string;
}

/** One service's release ledger, as the deployed stack exports it (`services.<name>`, see stacks/ledger.ts). */
export interface ServiceLedger {
  kind: "instances" | "containers";
  live: Color;
  idle: Color | null;
  versions: Partial<Record<Color, string | null>>;
  liveVersion: string | null;
  idleVersion: string | null;
  generation: number;
  phase: string | null;
  slots: Partial<Record<Color, SlotRelease | null>>;
  previous: SlotRelease | null;
  urls: { public: string; test: string };
  testHost: string | null;
  smokeTest: { path: string; expectStatus: number; versionHeader?: string };
  alarms: { slots: Partial<Record<Color, string[]>>; extra: string[] };
  targetGroupArns: Partial<Record<Color, string>>;
}

export const otherColor = (color: Color): Color => (color === "blue" ? "green" : "blue");

/** The ledger of `service` in a stack's outputs; the deployed stack, not the checkout, says what is live. */
export function serviceLedger(outputs: Record<string, unknown>, stack: string, service: string): ServiceLedger {
  const services = (outputs.services ?? {}) as Record<string, ServiceLedger>;
  const ledger = services[service];
  if (!ledger) {
    const known = Object.keys(services);
    throw new UsageError(
      known.length
        ? `stack ${stack} has no service "${service}"; deployed services: ${known.join(", ")}`
        : `stack ${stack} has no release ledger yet; run \`pulumi up --stack ${stack}\` once before releasing`,
    );
  }
  return { ...ledger, generation: Number(ledger.generation ?? 0) };
}

/** The line every exit path prints: which color serves traffic now. */
export function liveLine(service: string, ledger: Pick<ServiceLedger, "live" | "liveVersion">): string {
  return `live: ${service} ${ledger.live} ${ledger.liveVersion ?? "(none)"}`;
}
