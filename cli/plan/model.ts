// The plan model lives in model/plan.ts, shared with the policy pack; this path stays for existing imports.
export * from "../../model/plan";
