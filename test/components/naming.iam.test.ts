import { iamNamePrefix, IAM_NAME_PREFIX_MAX } from "../../components/naming";

describe("iamNamePrefix", () => {
  it.each([
    ["web-blue-2026.11.3", "instance", "web-blue-2026.11.3-instance-"],
    ["api-green-3f2c1ab", "exec", "api-green-3f2c1ab-exec-"],
  ])("keeps a short name whole: %s + %s", (name, purpose, expected) => {
    expect(iamNamePrefix(name, purpose)).toBe(expected);
  });

  it("shortens a long release id so that prefix and the provider's 26-character suffix fit IAM's 64", () => {
    const prefix = iamNamePrefix("preview-web-blue-release-2026.11.30-build.1234567890", "instance");
    expect(prefix.length).toBeLessThanOrEqual(IAM_NAME_PREFIX_MAX);
    expect(prefix.length + 26).toBeLessThanOrEqual(64);
    expect(prefix).toMatch(/^preview-web-blue-release-[\w.-]*-$/);
  });
});
