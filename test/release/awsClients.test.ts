import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackAws, stackAwsClients } from "../../cli/release/awsClients";
import { EXIT } from "../../cli/release/errors";
import type { ReleaseStack } from "../../cli/release/workspace";

/** A stack whose config is `config`: only `getConfigObject` is asked. */
const stackWith = (config: Record<string, unknown>): ReleaseStack => ({
  name: "production",
  getConfigObject: async (key) => config[key],
  outputs: () => Promise.reject(new Error("not asked")),
  setConfig: () => Promise.reject(new Error("not asked")),
  removeConfig: () => Promise.reject(new Error("not asked")),
  up: () => Promise.reject(new Error("not asked")),
  cancel: () => Promise.reject(new Error("not asked")),
  preview: () => Promise.reject(new Error("not asked")),
  getTag: () => Promise.reject(new Error("not asked")),
  setTag: () => Promise.reject(new Error("not asked")),
  removeTag: () => Promise.reject(new Error("not asked")),
});

describe("the release command's AWS clients use the stack's region and credentials", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-aws-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a stack whose config says eu-west-1 and names a profile is queried in eu-west-1 with that profile, with no AWS environment variables", async () => {
    const credentials = path.join(dir, "credentials");
    fs.writeFileSync(credentials, "[release]\naws_access_key_id = AKIAEXAMPLERELEASE01\naws_secret_access_key = example-secret\n");
    const stack = stackWith({ "aws:region": "eu-west-1", "aws:profile": "release", "aws:sharedCredentialsFiles": [credentials] });
    const elb = await stackAwsClients(stack, {}).elb();
    const sent: Array<{ hostname: string; authorization: string }> = [];
    // Innermost, after signing: records the request that would go out, and answers instead of the network.
    elb.middlewareStack.add(
      (() => async (args: { request: { hostname: string; headers: Record<string, string> } }) => {
        sent.push({ hostname: args.request.hostname, authorization: args.request.headers.authorization });
        return { output: { $metadata: {}, TargetHealthDescriptions: [] }, response: {} };
      }) as never,
      { step: "finalizeRequest", priority: "low" },
    );
    await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-blue/0123456789abcdef" }));
    expect(sent).toHaveLength(1);
    expect(sent[0].hostname).toBe("elasticloadbalancing.eu-west-1.amazonaws.com");
    expect(sent[0].authorization).toMatch(/Credential=AKIAEXAMPLERELEASE01\/\d{8}\/eu-west-1\/elasticloadbalancing\/aws4_request/);
    expect(await (await stackAwsClients(stack, {}).cloudwatch()).config.region()).toBe("eu-west-1");
  });

  it("reads the roles to assume from the stack config, in order, as the provider does", async () => {
    const aws = await readStackAws(stackWith({
      "aws:region": "eu-central-1",
      "aws:assumeRoles": [{ roleArn: "arn:aws:iam::111111111111:role/hub" }, { roleArn: "arn:aws:iam::222222222222:role/release", sessionName: "ci", externalId: "x-1", duration: "1h" }],
    }), {});
    expect(aws).toMatchObject({ region: "eu-central-1", assumeRoles: [{ roleArn: "arn:aws:iam::111111111111:role/hub" }, { roleArn: "arn:aws:iam::222222222222:role/release", sessionName: "ci", externalId: "x-1", duration: "1h" }] });
    await expect(readStackAws(stackWith({ "aws:region": "eu-west-1", "aws:assumeRoles": [{ sessionName: "ci" }] }), {})).rejects.toThrow("`aws:assumeRoles[0].roleArn` is missing");
  });

  it("takes the region from the environment when the stack config has none, and refuses without either, naming the key", async () => {
    expect((await readStackAws(stackWith({}), { AWS_DEFAULT_REGION: "us-east-2" })).region).toBe("us-east-2");
    await expect(readStackAws(stackWith({}), {})).rejects.toMatchObject({
      exitCode: EXIT.refused,
      message: "stack production names no AWS region: set `aws:region` in its stack config (`pulumi config set aws:region eu-west-1 --stack production`) or AWS_REGION",
    });
  });
});
