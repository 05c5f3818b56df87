import { ConfigError } from "../../stacks/configErrors";

/** A network and load balancer every environment accepts: what config tests start from. */
export const NETWORK = { cidr: "10.20.0.0/16" };
export const LOAD_BALANCER = { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/9b2e6d41-3c8f-4a7e-b1d0-5e4f7a2c9d83", officeCidrs: ["203.0.113.0/24"] };

/** The problems a stack config is refused with (each `flipstack:<key>: ...`), or [] when `load` accepts it. */
export function configProblems(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

/** {@link configProblems}, for tests that only ever expect a refusal: an accepted config fails the test. */
export function refusal(load: () => unknown): readonly string[] {
  const problems = configProblems(load);
  if (problems.length === 0) throw new Error("the config was accepted");
  return problems;
}
