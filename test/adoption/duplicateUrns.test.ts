import * as aws from "@pulumi/aws";
import { Network } from "../../components";
import { planOf } from "../harness";

describe("a program that registers the same URN twice", () => {
  it("is refused with the engine's message naming the URN", async () => {
    // A helper that names its component the same way each time it is called.
    const network = () => new Network("shared", { cidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], nat: "none" });
    await expect(planOf(() => [network(), network()])).rejects.toThrow(
      "Duplicate resource URN 'urn:pulumi:test::flipstack::pulumi:pulumi:Stack$flipstack:network:Network::shared'; try giving it a unique name",
    );
  });

  it("is refused for two custom resources too", async () => {
    const bucket = () => new aws.s3.Bucket("logs", {});
    await expect(planOf(() => [bucket(), bucket()])).rejects.toThrow(/Duplicate resource URN '.*aws:s3\/bucket:Bucket::logs'/);
  });

  it("plans the same names under different parents, which the engine accepts", async () => {
    const plan = await planOf(() => [
      new Network("blue", { cidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], nat: "none" }),
      new Network("green", { cidr: "10.41.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], nat: "none" }),
    ]);
    expect(new Set(plan.resources.map((r) => r.urn)).size).toBe(plan.resources.length);
  });
});
