/**
 * Every rule of Flipstack's policy pack, exported without starting the pack server: `flipstack plan` and the
 * tests evaluate them offline, `policies/index.ts` serves them to `pulumi preview --policy-pack policies`.
 */
import { computeRules } from "./compute";
import { elbRules } from "./elb";
import { flipstackRules } from "./flipstack";
import { hardeningRules } from "./hardening";
import { imageRules } from "./images";
import { networkRules } from "./network";
import { storageRules } from "./storage";

export const resourceRules = [...elbRules, ...computeRules, ...imageRules, ...networkRules, ...storageRules, ...flipstackRules, ...hardeningRules].filter((p) => "validateResource" in p);
export const stackRules = [...imageRules, ...networkRules, ...storageRules, ...flipstackRules, ...hardeningRules].filter((p) => "validateStack" in p);
export const allRules = [...resourceRules, ...stackRules];
