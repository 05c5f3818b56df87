import { loadBalancingConstraints } from "./loadBalancing";
import { limitConstraints } from "./limits";

/** AWS rules that would fail a deployment half-way, all mandatory: caught before any cloud call. */
export const constraints = [...loadBalancingConstraints, ...limitConstraints];
