// Region facts live in model/regions.ts, shared with the policy pack; this path stays for existing imports.
export * from "../../model/regions";
