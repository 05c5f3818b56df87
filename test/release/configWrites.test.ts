import { RELEASE_PHASES as CONFIG_PHASES } from "../../stacks/configSchema";
import { configWrites, describeWrite } from "../../cli/release/configWrites";
import { RELEASE_PHASES, serviceLedger, type ServiceLedger } from "../../cli/release/ledger";
import { deployedState, type ReleaseState } from "../../cli/release/releaseState";

const A = { version: "1.0.0", image: "r/api:1.0.0" };
const B = { version: "2.0.0", image: "r/api:2.0.0" };

describe("the config writes that turn the checkout into the planned release state", () => {
  const writes = (checkout: Record<string, unknown>, desired: ReleaseState) => configWrites(checkout, desired).map(describeWrite);

  it.each<[string, Record<string, unknown>, ReleaseState, string[]]>([
    ["nothing when they agree (numbers as `config set --path` stores them)", { live: "green", generation: 7, green: A }, { live: "green", generation: 7, green: A }, []],
    ["a new slot, field by field", { live: "green", generation: 7, green: A }, { live: "green", generation: 7, green: A, blue: B, phase: "deployed" }, [
      "set blue.version=2.0.0", "set blue.image=r/api:2.0.0", "set phase=deployed",
    ]],
    ["a flip: live, generation, previous, phase", { live: "green", generation: "7", green: A, blue: B, phase: "verified" }, { live: "blue", generation: 8, green: A, blue: B, previous: A, phase: "promoted" }, [
      "set live=blue", "set generation=8", "set previous.version=1.0.0", "set previous.image=r/api:1.0.0", "set phase=promoted",
    ]],
    ["a retired slot as one removal", { live: "blue", generation: 8, green: A, blue: B, phase: "baked" }, { live: "blue", generation: 8, blue: B, phase: "retired" }, [
      "rm green", "set phase=retired",
    ]],
    ["an artefact of the other kind", { live: "green", green: { version: "1.0.0", ami: "ami-0123456789abcdef0" } }, { live: "green", generation: 0, green: A }, [
      "rm green.ami", "set green.image=r/api:1.0.0", "set generation=0",
    ]],
    ["an all-digit version stored as a number", { live: "green", generation: 7, green: { version: 20261105, image: "r/api:20261105" } }, { live: "green", generation: 7, green: { version: "20261105", image: "r/api:20261105" } }, []],
  ])("%s", (_, checkout, desired, expected) => {
    expect(writes(checkout, desired)).toEqual(expected);
  });
});

describe("the release state the deployed stack runs", () => {
  const ledger = (over: Record<string, unknown> = {}): ServiceLedger =>
    serviceLedger({ services: { api: {
      kind: "containers", live: "green", idle: "blue", versions: { blue: "2.0.0", green: "1.0.0" }, liveVersion: "1.0.0", idleVersion: "2.0.0",
      previousVersion: null, generation: 7, phase: "deployed", urls: { public: "https://api.example.com/", test: "https://lb:8443/" }, testHost: "api.example.com",
      smokeTest: { path: "/version", expectStatus: 200 }, alarms: { slots: {}, extra: [] }, targetGroupArns: {},
      ...over,
    } } }, "staging", "api");

  it("takes artefacts from the ledger, whatever the checkout says", () => {
    const state = deployedState(ledger({ slots: { blue: B, green: A }, previous: null }), { live: "blue", generation: 3, blue: { version: "9.9.9", image: "r/api:9.9.9" } }, "api");
    expect(state).toEqual({ live: "green", generation: 7, blue: B, green: A, previous: undefined, phase: "deployed" });
  });

  it("completes a ledger without artefacts from the checkout where the versions agree, and refuses to guess otherwise", () => {
    expect(deployedState(ledger(), { blue: B, green: A }, "api")).toMatchObject({ blue: B, green: A });
    expect(() => deployedState(ledger(), { blue: B, green: { version: "0.9.0", image: "r/api:0.9.0" } }, "stack staging, service api")).toThrow(
      "stack staging, service api: cannot tell which image the deployed green release 1.0.0 runs: the stack's ledger does not say and the stack config holds 0.9.0 there",
    );
  });

  it("refuses a ledger it does not understand, naming the field", () => {
    expect(() => ledger({ live: "purple" })).toThrow("the ledger of api is not one this flipstack understands (`live`:");
  });

  it("knows the same release phases as the stack config", () => {
    expect(RELEASE_PHASES).toEqual(CONFIG_PHASES);
  });
});
