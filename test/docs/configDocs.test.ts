import * as fs from "node:fs";
import { z } from "zod";
import { configReference, keyRows, README, serviceRows, withReference, writtenForm } from "../../scripts/config-docs";
import { rawConfigSchema } from "../../stacks/configSchema";

describe("the README's config reference", () => {
  it("is exactly what the schema generates (run `npm run config-docs` after changing a key)", () => {
    const readme = fs.readFileSync(README, "utf8");
    expect(withReference(readme, configReference())).toBe(readme);
  });

  it("documents every key of the schema with a description", () => {
    const sections: z.ZodType[] = Object.values(rawConfigSchema.shape).map((field) => field.unwrap());
    const rows = [...serviceRows(), ...sections.flatMap((s) => (s instanceof z.ZodObject ? keyRows(s) : []))];
    expect(rows.length).toBeGreaterThan(60);
    expect(rows.filter((r) => !r.description).map((r) => r.key)).toEqual([]);
    for (const field of Object.values(rawConfigSchema.shape)) expect(field.unwrap().meta()?.description ?? field.meta()?.description).toBeTruthy();
  });

  it("notices a key without a description, and a README edited by hand", () => {
    const undocumented = z.strictObject({ named: z.string().meta({ description: "has one" }), bare: z.int().min(1).max(9).optional() });
    expect(keyRows(undocumented)).toEqual([
      { key: "named", type: "text", default: "required", description: "has one" },
      { key: "bare", type: "1–9", default: "none", description: "" },
    ]);
    const readme = fs.readFileSync(README, "utf8");
    const edited = readme.replace("| `cidr` | IPv4 CIDR | required |", "| `cidr` | IPv4 CIDR | 10.0.0.0/16 |");
    expect(edited).not.toBe(readme);
    expect(withReference(edited, configReference())).toBe(readme);
  });

  it("derives how a value is written when the key does not say", () => {
    expect(writtenForm(z.enum(["a", "b"]) as never)).toBe("`a` \\| `b`");
    expect(writtenForm(z.array(z.boolean()) as never)).toBe("list of boolean");
    expect(writtenForm(z.record(z.string(), z.int().min(0)) as never)).toBe("name → 0 or more");
  });
});
