/**
 * Flipstack's policy pack for real previews and updates: `pulumi preview --policy-pack policies`.
 * The rules live in ./rules (no server starts there); `flipstack plan` runs the same rules offline.
 */
import { PolicyPack } from "@pulumi/policy";
import { allRules } from "./rules";

new PolicyPack("flipstack", { policies: allRules });
