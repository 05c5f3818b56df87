import { instanceConstraints } from "./instances";
import { lifecycleConstraints } from "./lifecycle";
import { limitConstraints } from "./limits";
import { listenerRuleConstraints } from "./listenerRules";
import { loadBalancingConstraints } from "./loadBalancing";
import { physicalNameConstraints } from "./physicalNames";
import { referenceConstraints } from "./references";

/** AWS rules that would fail a deployment half-way (and quotas it would run into): caught before any cloud call. */
export const constraints = [
  ...loadBalancingConstraints,
  ...listenerRuleConstraints,
  ...limitConstraints,
  ...instanceConstraints,
  ...lifecycleConstraints,
  ...physicalNameConstraints,
  ...referenceConstraints,
];
