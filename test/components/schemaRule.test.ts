import fc from "fast-check";
import { declarationProblem, deployProblem, rollbackProblem, runsOn, schemaMinimumOf } from "../../components/schemaRule";

const database = (schema: number, minimum: number) => ({ schema, minimum, version: "x" });

describe("the schema rule", () => {
  it.each([
    [{ version: "a", schema: 7, schemaMinimum: 6 }, database(7, 6), true],
    [{ version: "a", schema: 6, schemaMinimum: 5 }, database(7, 6), true],
    [{ version: "a", schema: 5, schemaMinimum: 5 }, database(7, 6), false],
    [{ version: "a", schema: 8, schemaMinimum: 8 }, database(7, 6), false],
    [{ version: "a" }, database(7, 6), undefined],
  ])("%j runs on %j: %s", (release, db, expected) => {
    expect(runsOn(release, db)).toBe(expected);
  });

  it("takes a release's own schema as its minimum when it declares none", () => {
    expect(schemaMinimumOf({ version: "a", schema: 4 })).toBe(4);
    expect(declarationProblem({ schema: 4, schemaMinimum: 5 })?.[0]).toBe("schemaMinimum");
    expect(declarationProblem({ schemaMinimum: 5 })?.[0]).toBe("schemaMinimum");
  });

  // The guard's promise: whatever it lets deploy leaves the live release, and a rollback to it, on a schema it runs on.
  it("a deploy it accepts starts on the old schema, and leaves the live release able to run on the new one and be rolled back to", () => {
    const release = fc.tuple(fc.nat(20), fc.nat(20)).map(([a, b]) => ({ schema: Math.max(a, b), schemaMinimum: Math.min(a, b) }));
    fc.assert(
      fc.property(release, release, (live, next) => {
        const before = database(live.schema, live.schemaMinimum);
        const liveRelease = { version: "live", ...live };
        const nextRelease = { version: "next", ...next };
        if (deployProblem(nextRelease, liveRelease, before)) return;
        const after = next.schema > before.schema ? database(next.schema, next.schemaMinimum) : before;
        // The new slot's tasks start before its migration runs.
        expect(runsOn(nextRelease, before)).toBe(true);
        expect(runsOn(liveRelease, after)).toBe(true);
        expect(rollbackProblem(liveRelease, after)).toBeUndefined();
      }),
    );
  });
});
