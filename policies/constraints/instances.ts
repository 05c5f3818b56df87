import type { PlannedResource } from "../../model/plan";
import type { Constraint } from "./check";
import { types } from "./instanceTypes.json";

// Generated from the EC2 API model by `npm run instance-types` (see scripts/instance-types.ts).
const KNOWN = new Set(types);

export const instanceConstraints: Constraint[] = [{
  rule: "aws-instance-type",
  source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html",
  check: (_plan, index) => index.ofType("aws:ec2/launchTemplate:LaunchTemplate")
    .filter((t) => typeof t.inputs.instanceType === "string" && !KNOWN.has(t.inputs.instanceType))
    .map((t): [PlannedResource, string] => {
      const family = String(t.inputs.instanceType).split(".")[0];
      const sizes = types.filter((name) => name.startsWith(`${family}.`)).slice(0, 6);
      return [t, `instance type "${String(t.inputs.instanceType)}" is not one EC2 has${sizes.length ? `; ${family} comes as ${sizes.join(", ")}…` : ""}`];
    }),
}];
