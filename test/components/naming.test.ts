import fc from "fast-check";
import { discoveryServiceName, ecsSafeName, fitName, launchTemplateSafeName, namePrefix } from "../../components/naming";

describe("namePrefix", () => {
  it.each([["api", "api"], ["Web-Service", "web-se"], ["internal-api", "api"], ["--x", "x"], ["___", "fs"], ["edge-", "edge"]])("%s → %s", (input, expected) => {
    expect(namePrefix(input)).toBe(expected);
  });

  it("is always a valid, short, deterministic prefix", () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 32 }), (name, max) => {
      const prefix = namePrefix(name, max);
      expect(prefix).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      expect(prefix.length).toBeLessThanOrEqual(Math.max(max, 2));
      expect(prefix.startsWith("internal-")).toBe(false);
      expect(namePrefix(name, max)).toBe(prefix);
    }));
  });
});

describe("fitName", () => {
  it("keeps names that fit and shortens the others with a hash", () => {
    expect(fitName(["web", "blue"], 32)).toBe("web-blue");
    expect(fitName(["preview", "web", "blue", "2026.11.30-build-1234567890"], 32)).toMatch(/^preview-web-blue-2026\.1-[0-9a-f]{8}$/);
  });

  it("fits, is deterministic and keeps distinct long names distinct", () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z0-9.]{1,30}$/), { minLength: 1, maxLength: 5 }), fc.array(fc.stringMatching(/^[a-z0-9.]{1,30}$/), { minLength: 1, maxLength: 5 }), fc.integer({ min: 12, max: 64 }), (a, b, max) => {
      expect(fitName(a, max).length).toBeLessThanOrEqual(max);
      expect(fitName(a, max)).toBe(fitName([...a], max));
      if (a.join("-") !== b.join("-") && a.join("-").length > max && b.join("-").length > max) expect(fitName(a, max)).not.toBe(fitName(b, max));
    }));
  });
});

describe("names derived from release ids", () => {
  it.each([
    ["api-green-3f2c1ab", "api-green-3f2c1ab"],
    ["api-green-2026.11.3", "api-green-2026-11-3"],
    ["api-green-1.0+build_7", "api-green-1-0-build_7"],
  ])("ECS: %s → %s", (name, safe) => {
    expect(ecsSafeName(name)).toBe(safe);
    expect(ecsSafeName(name)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ["web-blue-2026.11.3", "web-blue-2026.11.3"],
    ["web-blue-1.0+build", "web-blue-1.0-build"],
  ])("launch template: %s → %s", (name, safe) => {
    expect(launchTemplateSafeName(name)).toBe(safe);
  });
});

describe("discoveryServiceName", () => {
  it.each([
    ["api", "blue", "3f2c1ab", "api-blue-3f2c1ab"],
    ["api", "green", "2026.11.5", "api-green-2026-11-5"],
    ["web", "blue", "1.0.0+Build_7", "web-blue-1-0-0-build-7"],
  ])("%s %s %s → %s", (service, color, release, name) => {
    expect(discoveryServiceName(service, color, release)).toBe(name);
  });

  it("is a DNS label of at most 63 characters, and releases whose labels differ stay distinct when hashed", () => {
    const label = (text: string) => text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
    fc.assert(
      fc.property(fc.stringMatching(/^[\w][\w.+-]{0,63}$/), fc.stringMatching(/^[\w][\w.+-]{0,63}$/), (a, b) => {
        const [x, y] = [discoveryServiceName("checkout-service-01", "green", a), discoveryServiceName("checkout-service-01", "green", b)];
        expect(x).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
        expect(x.length).toBeLessThanOrEqual(63);
        if (label(a) !== label(b)) expect(x).not.toBe(y);
      }),
    );
  });
});
