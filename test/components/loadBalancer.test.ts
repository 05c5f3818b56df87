import { LoadBalancer, type LoadBalancerArgs } from "../../components/loadBalancer";
import { ofType, one, planOf } from "../harness";

const base: LoadBalancerArgs = {
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/4f1c2a9e-7d3b-4e8a-9c51-2b6d8e0f3a17",
  testListenerCidrs: ["192.168.0.0/20", "203.0.113.0/24"],
};
const plan = (args: Partial<LoadBalancerArgs> = {}) => planOf(() => new LoadBalancer("edge", { ...base, ...args }));
const listener = (p: Awaited<ReturnType<typeof plan>>, role: string) => one(p, "aws:lb/listener:Listener", `edge-${role}`).inputs;

describe("LoadBalancer", () => {
  it("serves HTTPS with the certificate and a TLS 1.3 policy, answering 404 unless a service rule matches", async () => {
    const https = listener(await plan(), "https");
    expect(https).toMatchObject({ port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: base.certificateArn });
    expect(https.defaultActions).toEqual([{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } }]);
  });

  it("only redirects HTTP to HTTPS", async () => {
    expect(listener(await plan(), "http")).toMatchObject({ port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });
  });

  it.each([[undefined, 8443], [9443, 9443]])("puts the test listener on port %s → %i", async (port, expected) => {
    expect(listener(await plan({ testListenerPort: port }), "test")).toMatchObject({ port: expected, protocol: "HTTPS" });
  });

  it("opens 80 and 443 to the world and the test port only to the VPN and office", async () => {
    const rules = ofType(await plan(), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4]);
    expect(rules.sort()).toEqual([[443, "0.0.0.0/0"], [80, "0.0.0.0/0"], [8443, "192.168.0.0/20"], [8443, "203.0.113.0/24"]].sort());
  });

  it("drops invalid headers, logs access, uses a name prefix and protects from deletion when asked", async () => {
    const p = await plan({ deletionProtection: true });
    const lb = one(p, "aws:lb/loadBalancer:LoadBalancer", "edge-alb");
    expect(lb.inputs).toMatchObject({ dropInvalidHeaderFields: true, namePrefix: "edge", enableDeletionProtection: true, internal: false, accessLogs: { enabled: true } });
    expect(lb.inputs.name).toBeUndefined();
    expect(lb.options.dependsOn).toEqual([one(p, "aws:s3/bucketPolicy:BucketPolicy", "edge-access-logs").urn]);
    expect(one(await plan(), "aws:lb/loadBalancer:LoadBalancer", "edge-alb").inputs.enableDeletionProtection).toBe(false);
  });

  it("keeps access logs in a private bucket that only the region's load balancer account may write, and expires them", async () => {
    const p = await plan({ accessLogRetentionDays: 30 });
    expect(one(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "edge-access-logs").inputs).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
    const policy = JSON.parse(String(one(p, "aws:s3/bucketPolicy:BucketPolicy", "edge-access-logs").inputs.policy));
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::156460612806:root" }, Action: "s3:PutObject" }));
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
    const [rule] = one(p, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "edge-access-logs").inputs.rules as Array<Record<string, unknown>>;
    expect(rule.expiration).toEqual({ days: 30 });
  });

  it.each([
    [{ testListenerCidrs: ["0.0.0.0/0"] }, "opens the test listener to the world"],
    [{ testListenerCidrs: ["10.0.0.0/33"] }, "is not a valid IPv4 CIDR"],
    [{ testListenerCidrs: [] }, "`testListenerCidrs` list is empty"],
    [{ testListenerPort: 443 }, "other than 80 and 443"],
    [{ idleTimeoutSeconds: 0 }, "`idleTimeoutSeconds` 0"],
  ])("rejects %j before creating anything", async (args, message) => {
    await expect(plan(args)).rejects.toThrow(message);
  });
});
