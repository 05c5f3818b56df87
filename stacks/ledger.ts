import * as pulumi from "@pulumi/pulumi";
import type { BlueGreenService, TrafficShift } from "../components";
import type { ImageSource } from "./images";
import { releaseLedger, type RecordedRelease } from "../components/release";

/** The release ledger of one service, as stack outputs: what `flipstack release` reads before every step. */
export interface LedgerInputs {
  service: {
    kind: "instances" | "containers";
    release: RecordedRelease;
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
  /** Where a container service's images come from. @default none (instances, or an older program) */
  images?: ImageSource;
}

export function ledgerEntry({ service, blueGreen, loadBalancerDnsName, testListenerPort, hosts, images }: LedgerInputs) {
  const path = service.routing.pathPatterns?.[0]?.replace(/\*.*$/, "") ?? "/";
  const base = pulumi.output(loadBalancerDnsName);
  return {
    kind: service.kind,
    ...releaseLedger(service.release),
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
    /** The listener rules users and the test listener reach the slots by: the release command reads them before acting. */
    ruleArns: { live: blueGreen.productionRuleArn, test: blueGreen.testRuleArn.apply((arn) => arn ?? null) },
    /** The image repository and whether this stack builds into it (`release deploy --build`); null for instances. */
    repository: images ? { url: images.repositoryUrl, builds: images.builds } : null,
  };
}
