import { loadBalancingConstraints } from "./loadBalancing";
import { limitConstraints } from "./limits";
import { referenceConstraints } from "./references";

/** AWS rules that would fail a deployment half-way (and quotas it would run into): caught before any cloud call. */
export const constraints = [...loadBalancingConstraints, ...limitConstraints, ...referenceConstraints];
