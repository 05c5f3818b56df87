import * as pulumi from "@pulumi/pulumi";
import type { BlueGreenService } from "./blueGreenService";
import { releaseLedger, type RecordedRelease } from "./release";
import { ALL_AT_ONCE, type TrafficShift } from "./trafficShift";

/** What a service's release ledger is made of: its release state and settings, and where users reach it. */
export interface ServiceLedgerInputs {
  service: {
    kind: "instances" | "containers";
    /** The release state the program gave the service (`<project>:services.<name>.release` for `flipstack release`). */
    release: RecordedRelease;
    routing?: { pathPatterns?: readonly string[] };
    /** What `release verify` requests from the idle slot. @default { path: "/", expectStatus: 200 } */
    smokeTest?: { path: string; expectStatus: number; versionHeader?: string };
    /** Alarms beside the slots' own that the bake watches. @default [] */
    alarms?: readonly string[];
    /** How `release promote` moves users. @default all at once */
    shift?: TrafficShift;
    /** The migration `release deploy` runs as a one-off task before the new slot gets traffic. @default none */
    migration?: { command: readonly string[]; timeoutSeconds: number };
  };
  blueGreen: BlueGreenService;
  loadBalancerDnsName: pulumi.Input<string>;
  testListenerPort: pulumi.Input<number>;
  /** Host names users reach the service by; the first is also sent to the test listener. @default [] */
  hosts?: readonly string[];
  /** Where a container service's images come from, and whether this stack builds into it. @default none (instances) */
  images?: { repositoryUrl: pulumi.Input<string>; builds: boolean };
}

/**
 * The release ledger of one service, for the stack output `services.<name>`: what `flipstack release` reads before
 * every step (cli/release/ledger.ts parses it). A program of its own that exports these, and reads each service's
 * release state from `<project>:services.<name>.release`, can be released with `flipstack release`.
 */
export function serviceLedger({ service, blueGreen, loadBalancerDnsName, testListenerPort, hosts = [], images }: ServiceLedgerInputs) {
  const path = service.routing?.pathPatterns?.[0]?.replace(/\*.*$/, "") ?? "/";
  const base = pulumi.output(loadBalancerDnsName);
  const shift = service.shift ?? ALL_AT_ONCE;
  return {
    kind: service.kind,
    ...releaseLedger(service.release),
    /** Percent of users per present slot, as the production rule's forward action weighs them. */
    weights: blueGreen.weights,
    /** The steps `release promote` walks (percent on the new release), and how long it watches each. */
    shift: {
      strategy: shift.strategy,
      steps: shift.steps,
      stepSeconds: shift.stepSeconds,
      stickinessSeconds: shift.stickinessSeconds ?? null,
    },
    urls: {
      public: hosts[0] ? `https://${hosts[0]}${path}` : pulumi.interpolate`https://${base}${path}`,
      test: pulumi.interpolate`https://${base}:${testListenerPort}${path}`,
    },
    /** Host header to send to the test listener, whose rule matches the same hosts as production. */
    testHost: hosts[0] ?? null,
    smokeTest: service.smokeTest ?? { path: "/", expectStatus: 200 },
    alarms: { slots: blueGreen.alarmNames, extra: service.alarms ?? [] },
    targetGroupArns: blueGreen.targetGroupArns,
    targetGroupArnSuffixes: blueGreen.targetGroupArnSuffixes,
    /** The listener rules users and the test listener reach the slots by: the release command reads them before acting. */
    ruleArns: { live: blueGreen.productionRuleArn, test: blueGreen.testRuleArn.apply((arn) => arn ?? null) },
    /** The migration `release deploy` runs before the new slot gets traffic, or null. */
    migration: service.migration ? { command: service.migration.command, timeoutSeconds: service.migration.timeoutSeconds } : null,
    /** Per slot of a container service, how to run a one-off task of its release (cluster, task definition, network, logs). */
    oneOffTasks: blueGreen.oneOffTasks,
    /** Per slot of a container service, its ECS service and the task definition it must run. */
    ecsServices: blueGreen.ecsServices,
    /** The image repository and whether this stack builds into it (`release deploy --build`); null for instances. */
    repository: images ? { url: images.repositoryUrl, builds: images.builds } : null,
  };
}
