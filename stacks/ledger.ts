import * as pulumi from "@pulumi/pulumi";
import type { BlueGreenService, Color, TrafficShift } from "../components";

interface SlotRelease {
  version: string;
  ami?: string;
  image?: string;
}

interface LedgerRelease {
  live: Color;
  blue?: SlotRelease;
  green?: SlotRelease;
  previous?: SlotRelease;
  generation?: number;
  phase?: string;
  weight?: number;
}

/** The release ledger of one service, as stack outputs: what `flipstack release` reads before every step. */
export interface LedgerInputs {
  service: {
    kind: "instances" | "containers";
    release: LedgerRelease;
    routing: { pathPatterns?: readonly string[] };
    smokeTest: { path: string; expectStatus: number; versionHeader?: string };
    alarms: readonly string[];
    shift: TrafficShift;
  };
  blueGreen: BlueGreenService;
  loadBalancerDnsName: pulumi.Input<string>;
  testListenerPort: pulumi.Input<number>;
  /** Host names users reach the service by; the first is also sent to the test listener. */
  hosts: readonly string[];
}

export function ledgerEntry({ service, blueGreen, loadBalancerDnsName, testListenerPort, hosts }: LedgerInputs) {
  const release = service.release;
  const idle: Color = release.live === "blue" ? "green" : "blue";
  const path = service.routing.pathPatterns?.[0]?.replace(/\*.*$/, "") ?? "/";
  const base = pulumi.output(loadBalancerDnsName);
  return {
    kind: service.kind,
    live: release.live,
    idle: release[idle] ? idle : null,
    versions: { blue: release.blue?.version ?? null, green: release.green?.version ?? null },
    liveVersion: release[release.live]?.version ?? null,
    idleVersion: release[idle]?.version ?? null,
    previousVersion: release.previous?.version ?? null,
    /** What each slot and the previous live release hold, artefacts included: rollback redeploys from these. */
    slots: { blue: release.blue ?? null, green: release.green ?? null },
    previous: release.previous ?? null,
    generation: release.generation ?? 0,
    phase: release.phase ?? null,
    /** Percent of users on the idle slot while traffic shifts to it; 0 otherwise. */
    weight: release.weight ?? 0,
    /** Percent of users per present slot, as the production rule's forward action weighs them. */
    weights: blueGreen.weights,
    /** The steps `release promote` walks (percent on the new release), and how long it watches each. */
    shift: {
      strategy: service.shift.strategy,
      steps: service.shift.steps,
      stepSeconds: service.shift.stepSeconds,
      stickinessSeconds: service.shift.stickinessSeconds ?? null,
    },
    urls: {
      public: hosts[0] ? `https://${hosts[0]}${path}` : pulumi.interpolate`https://${base}${path}`,
      test: pulumi.interpolate`https://${base}:${testListenerPort}${path}`,
    },
    /** Host header to send to the test listener, whose rule matches the same hosts as production. */
    testHost: hosts[0] ?? null,
    smokeTest: service.smokeTest,
    alarms: { slots: blueGreen.alarmNames, extra: service.alarms },
    targetGroupArns: blueGreen.targetGroupArns,
    targetGroupArnSuffixes: blueGreen.targetGroupArnSuffixes,
  };
}
