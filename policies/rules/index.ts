/**
 * Every rule of Flipstack's policy pack, exported without starting the pack server: `flipstack plan` and the
 * tests evaluate them offline, `policies/index.ts` serves them to `pulumi preview --policy-pack policies`.
 */
import { computeRules } from "./compute";
import { databaseRules } from "./database";
import { elbRules } from "./elb";
import { flipstackRules } from "./flipstack";
import { hardeningRules } from "./hardening";
import { imageRules } from "./images";
import { instanceLogRules } from "./instanceLogs";
import { networkRules } from "./network";
import { storageRules } from "./storage";

export const resourceRules = [...elbRules, ...computeRules, ...imageRules, ...networkRules, ...storageRules, ...databaseRules, ...flipstackRules, ...hardeningRules].filter((p) => "validateResource" in p);
export const stackRules = [...imageRules, ...networkRules, ...storageRules, ...databaseRules, ...flipstackRules, ...instanceLogRules, ...hardeningRules].filter((p) => "validateStack" in p);
export const allRules = [...resourceRules, ...stackRules];
