// Unit tests of this program, offline: `flipstack/testing` plans it against the same AWS mocks, policy pack and
// AWS constraint checks as `npx flipstack plan`. Run with `node --test` (jest works the same way).
const assert = require("node:assert/strict");
const { test } = require("node:test");
const path = require("node:path");
const { planProgram, planProject, resourcesOf } = require("flipstack/testing");

const config = {
  "aws:region": "eu-west-1",
  certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
};
const releasing = (version) => ({ storefront: { release: { live: "blue", blue: { version, image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:${version}` } } } });

test("the dev stack plans one container service with no mandatory violation", async () => {
  const plan = await planProject({ cwd: __dirname, stack: "dev" });
  assert.equal(resourcesOf(plan, "aws:ecs/service:Service").length, 1);
  assert.deepEqual(plan.violations.filter((v) => v.severity === "mandatory"), []);
});

test("the live slot runs the configured release, in the program's own VPC", async () => {
  const plan = await planProgram(path.join(__dirname, "index.ts"), { project: "shop", config: { ...config, services: releasing("9c8b7a6") } });
  assert.equal(plan.outputs.liveVersion, "9c8b7a6");
  assert.equal(plan.outputs.services.storefront.liveVersion, "9c8b7a6");
  assert.deepEqual(resourcesOf(plan, "aws:ec2/vpc:Vpc").map((vpc) => vpc.inputs.cidrBlock), ["10.40.0.0/16"]);
});
