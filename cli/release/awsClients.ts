import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { AwsClients } from "./context";
import { refused } from "./errors";
import type { ReleaseStack } from "./workspace";

/** One `aws:assumeRoles` entry of the stack config, as the AWS provider reads it. */
export interface AssumeRole {
  roleArn: string;
  sessionName?: string;
  externalId?: string;
  /** `1h`, `15m`: the provider's duration strings. */
  duration?: string;
}

/** Where the stack's AWS provider runs: its region and how it gets credentials, from the stack config. */
export interface StackAws {
  region: string;
  profile?: string;
  sharedCredentialsFiles?: string[];
  /** Static keys (`aws:accessKey`, `aws:secretKey`, `aws:token`). */
  keys?: AwsCredentialIdentity;
  /** Roles assumed one after another, the first with the base credentials (`aws:assumeRoles`). */
  assumeRoles: AssumeRole[];
}

/**
 * The stack's AWS settings, read the way the provider reads them: the stack config (`aws:region`, `aws:profile`,
 * `aws:sharedCredentialsFiles`, static keys, `aws:assumeRoles`), then the environment (`AWS_REGION`,
 * `AWS_DEFAULT_REGION`). Without a region the release command stops before it changes anything.
 */
export async function readStackAws(stack: ReleaseStack, env: NodeJS.ProcessEnv = process.env): Promise<StackAws> {
  const text = async (key: string) => {
    const value = await stack.getConfigObject(key);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const list = async (key: string) => {
    const value = await stack.getConfigObject(key);
    return Array.isArray(value) ? value : undefined;
  };
  const region = (await text("aws:region")) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw refused(`stack ${stack.name} names no AWS region: set \`aws:region\` in its stack config (\`pulumi config set aws:region eu-west-1 --stack ${stack.name}\`) or AWS_REGION`);
  }
  const [accessKeyId, secretAccessKey, sessionToken] = [await text("aws:accessKey"), await text("aws:secretKey"), await text("aws:token")];
  return {
    region,
    profile: await text("aws:profile"),
    sharedCredentialsFiles: (await list("aws:sharedCredentialsFiles"))?.map(String),
    keys: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) } : undefined,
    assumeRoles: ((await list("aws:assumeRoles")) ?? []).map(assumeRole),
  };
}

function assumeRole(entry: unknown, at: number): AssumeRole {
  const fields = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
  if (typeof fields.roleArn !== "string") throw refused(`\`aws:assumeRoles[${at}].roleArn\` is missing; give the ARN of the role to assume`);
  const optional = (key: string) => (typeof fields[key] === "string" ? (fields[key] as string) : undefined);
  return { roleArn: fields.roleArn, sessionName: optional("sessionName"), externalId: optional("externalId"), duration: optional("duration") };
}

/** The provider's `1h30m` in seconds, for STS `DurationSeconds`. */
function durationSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = [...text.matchAll(/(\d+)([hms])/g)];
  return parts.reduce((total, [, n, unit]) => total + Number(n) * { h: 3600, m: 60, s: 1 }[unit as "h" | "m" | "s"], 0) || undefined;
}

/**
 * Credentials as the stack's provider gets them: static keys, else the profile (from the shared files), else the
 * SDK's default chain (environment, SSO, web identity, instance role); then each role of `aws:assumeRoles` in turn.
 */
export function stackCredentials(aws: StackAws): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
  let credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined =
    aws.keys ?? (aws.profile ? fromIni({ profile: aws.profile, ...(aws.sharedCredentialsFiles?.[0] && { filepath: aws.sharedCredentialsFiles[0] }) }) : undefined);
  for (const role of aws.assumeRoles) {
    credentials = fromTemporaryCredentials({
      masterCredentials: credentials,
      params: { RoleArn: role.roleArn, RoleSessionName: role.sessionName ?? "flipstack-release", ExternalId: role.externalId, DurationSeconds: durationSeconds(role.duration) },
      clientConfig: { region: aws.region },
    });
  }
  return credentials;
}

/** ELBv2, CloudWatch, ECS and CloudWatch Logs clients in the stack's region with the stack's credentials, created on first use. */
export function stackAwsClients(stack: ReleaseStack, env: NodeJS.ProcessEnv = process.env): AwsClients {
  let settings: Promise<{ region: string; credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider }> | undefined;
  const config = () => (settings ??= readStackAws(stack, env).then((aws) => ({ region: aws.region, credentials: stackCredentials(aws) })));
  let elb: ElasticLoadBalancingV2Client | undefined;
  let cloudwatch: CloudWatchClient | undefined;
  let ecs: ECSClient | undefined;
  let logs: CloudWatchLogsClient | undefined;
  return {
    elb: async () => (elb ??= new ElasticLoadBalancingV2Client(await config())),
    cloudwatch: async () => (cloudwatch ??= new CloudWatchClient(await config())),
    ecs: async () => (ecs ??= new ECSClient(await config())),
    logs: async () => (logs ??= new CloudWatchLogsClient(await config())),
  };
}
