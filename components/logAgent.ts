import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The CloudWatch agent of an instance group: its config in an SSM parameter, the boot script that starts it, and the
 * role policy that lets the instances write to their log group and nothing else. Instances are thrown away on every
 * release; what they logged must already be in CloudWatch Logs by then.
 */

/** Where the agent lives once installed (the Amazon Linux package, or an AMI that bakes it in). */
const AGENT_BIN = "/opt/aws/amazon-cloudwatch-agent/bin/";
const AGENT_CTL = `${AGENT_BIN}amazon-cloudwatch-agent-ctl`;
/** The first line of the boot script, so that a person reading the user data knows where it comes from. */
const LOG_AGENT_MARKER = "# flipstack:log-agent";
/** MIME boundary between the log agent's part and the caller's own user data. */
const BOUNDARY = "==flipstack-user-data==";
/** The longest SSM parameter name (the whole ARN counts, so real names are shorter): the user data size budget assumes it. */
const PARAMETER_NAME_MAX = 1011;

/** A log group the instances write to: its name (in the agent config) and ARN (in the role policy). */
export interface LogGroupRef {
  /** The log group's name, as the agent config names it. */
  readonly name: pulumi.Input<string>;
  /** The log group's ARN (without `:*`), as the role policy names it. */
  readonly arn: pulumi.Input<string>;
}

/** Which files go to which log stream; `{instance_id}` is filled in by the agent on each instance. */
export interface LogSource {
  readonly filePath: string;
  /** Last part of the stream name, after `<release>/<instance id>/`. */
  readonly stream: string;
}

/**
 * The files an instance ships: the application's own log files, system logs (`/var/log/messages`; on Amazon Linux
 * 2023, where the journal is the only system log, the boot script installs rsyslog to write it) and what the user
 * data printed at boot.
 */
export function logSources(applicationLogPath: string): LogSource[] {
  return [
    { filePath: applicationLogPath, stream: "app" },
    { filePath: "/var/log/messages", stream: "system" },
    { filePath: "/var/log/cloud-init-output.log", stream: "cloud-init" },
  ];
}

/** The release id as it may appear in log stream and parameter names (no `:` or `*`, nothing SSM refuses). */
const safeReleaseId = (release: string) => release.replace(/[^A-Za-z0-9_.-]/g, "-");

/** Log stream of one source of one instance of one release, e.g. `2026.11.3/{instance_id}/app`. */
export const logStreamName = (release: string, stream: string) => `${safeReleaseId(release)}/{instance_id}/${stream}`;

/**
 * The agent's config (JSON): every source into the one log group, streams named by release and instance. The
 * release id is written literally so that its logs can be found by it after its instances are gone.
 */
export function logAgentConfig(logGroupName: string, release: string, sources: readonly LogSource[]): string {
  return JSON.stringify({
    // /var/log/messages is readable by root only.
    agent: { run_as_user: "root" },
    logs: {
      logs_collected: {
        files: {
          collect_list: sources.map((s) => ({ file_path: s.filePath, log_group_name: logGroupName, log_stream_name: logStreamName(release, s.stream) })),
        },
      },
      // Seconds between uploads: an instance the group terminates has at most this much unsent.
      force_flush_interval: 5,
    },
  }, null, 1);
}

/**
 * The agent config's parameter: beside the log group's own name, so it is unique per stack and region without
 * knowing the stack (`/flipstack/production/web-1a2b/blue/2026.11.3/cloudwatch-agent`). Groups outside the
 * `/flipstack/` path are put under `/flipstack/log-agent/`: SSM refuses names starting with `aws` or `ssm`.
 */
export function logAgentParameterName(logGroupName: string, color: string, release: string): string {
  const group = logGroupName.replace(/[^A-Za-z0-9_.\-/]/g, "-").replace(/\/+$/, "");
  const base = group.startsWith("/flipstack/") ? group : `/flipstack/log-agent/${group.replace(/^\/+/, "")}`;
  return `${base}/${color}/${safeReleaseId(release)}/cloudwatch-agent`;
}

/**
 * The boot script: the agent from the AMI when it is there, else installed from the distribution's repository
 * (Amazon Linux 2023 and 2), then started with its config read from SSM. It does not stop the boot when it fails:
 * the caller's own user data runs anyway, and the failure is in the console output.
 */
export function logAgentBootScript(parameterName: string): string {
  return [
    "#!/bin/bash",
    LOG_AGENT_MARKER,
    `ctl=${AGENT_CTL}`,
    "pkg=$(command -v dnf || command -v yum)",
    'if [ ! -x "$ctl" ]; then',
    '  if [ -n "$pkg" ]; then "$pkg" install -y amazon-cloudwatch-agent; else echo "flipstack: no CloudWatch agent in this AMI and no dnf or yum to install it" >&2; exit 1; fi',
    "fi",
    'if [ ! -e /var/log/messages ] && [ -n "$pkg" ] && command -v journalctl >/dev/null; then',
    '  "$pkg" install -y rsyslog && systemctl enable --now rsyslog',
    "fi",
    // The policy rule finds the agent by this same command (fetchConfigCommand).
    `${AGENT_BIN}${fetchConfigCommand(parameterName)}`,
    "",
  ].join("\n");
}

/** The command in the boot script that starts the agent (`-s`) with this parameter's config, as EC2 (`-m ec2`). */
export const fetchConfigCommand = (parameterName: string) => `amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:${parameterName}`;

/**
 * User data of an instance: the log agent's script first, then the caller's own user data unchanged, as two parts
 * of a MIME multi-part archive. cloud-init runs the parts in order and reads a `text/plain` part exactly as it would
 * read that user data on its own (a `#!` script, `#cloud-config`, ...), so either kind keeps working.
 */
export function withLogAgent(bootScript: string, userData?: string): string {
  const part = (type: string, body: string, filename: string) => [
    `--${BOUNDARY}`,
    `Content-Type: ${type}; charset="utf-8"`,
    "MIME-Version: 1.0",
    "Content-Transfer-Encoding: 8bit",
    `Content-Disposition: attachment; filename="${filename}"`,
    "",
    body.endsWith("\n") ? body : `${body}\n`,
  ].join("\n");
  return [
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "MIME-Version: 1.0",
    "",
    part("text/x-shellscript", bootScript, "flipstack-log-agent.sh"),
    ...(userData === undefined ? [] : [part("text/plain", userData, "user-data")]),
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}

/** How much of EC2's 16 KiB of user data the caller's own user data may use: the rest carries the log agent. */
export const USER_DATA_BUDGET_BYTES = 16 * 1024 - Buffer.byteLength(withLogAgent(logAgentBootScript("/".repeat(PARAMETER_NAME_MAX)), ""), "utf8");

/** Why this user data cannot go beside the log agent, or undefined. */
export function userDataProblem(userData: string): string | undefined {
  const bytes = Buffer.byteLength(userData, "utf8");
  if (bytes > USER_DATA_BUDGET_BYTES) {
    return `The \`userData\` is ${bytes} bytes; EC2 accepts 16384 and the log agent needs the rest, so keep it to ${USER_DATA_BUDGET_BYTES}. Fetch larger scripts from S3 or bake them into the AMI.`;
  }
  if (/^\s*content-type:\s*multipart\//i.test(userData) || userData.includes(BOUNDARY)) {
    return "The `userData` is already a MIME multi-part archive; Flipstack adds the log agent as a part of its own, so give the script or cloud-config itself.";
  }
  return undefined;
}

/**
 * What the instances may do for their logs: create streams in and write to their log group, and read their agent
 * config. Nothing else: no other log group, no `logs:CreateLogGroup`, no retention changes.
 */
export function logWritePolicy(logGroupArn: string, parameterArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        // Streams are `<group arn>:log-stream:<name>`; the provider's group ARN has no `:*` of its own.
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        Sid: "ReadAgentConfig",
        Effect: "Allow",
        Action: ["ssm:GetParameter"],
        Resource: [parameterArn],
      },
    ],
  });
}

export interface LogAgentOptions {
  /** The log group every source is shipped to; the role may write there only. */
  readonly logGroup: LogGroupRef;
  /** The slot's color, part of the parameter name. */
  readonly color: string;
  /** The release id, written literally into stream names and the parameter name. */
  readonly release: string;
  /** The files to ship, one stream each per instance. */
  readonly sources: readonly LogSource[];
  /** The instance role, which gets the log-write policy. */
  readonly role: aws.iam.Role;
  /** Tags of the parameter. */
  readonly tags: Record<string, string>;
}

/**
 * The SSM parameter holding the agent config (Standard tier: free) and the instance role's log-write policy.
 * Returns the parameter, the policy and the boot script that reads the parameter.
 */
export function createLogAgent(name: string, parent: pulumi.Resource, args: LogAgentOptions) {
  const groupName = pulumi.output(args.logGroup.name);
  const parameter = new aws.ssm.Parameter(`${name}-log-agent`, {
    name: groupName.apply((group) => logAgentParameterName(group, args.color, args.release)),
    description: `CloudWatch agent config of ${name}: its logs to its service's log group`,
    type: "String",
    tier: "Standard",
    // The config holds no secret: `insecureValue` keeps it readable in previews, plans and policy checks.
    insecureValue: groupName.apply((group) => logAgentConfig(group, args.release, args.sources)),
    tags: { ...args.tags, Name: `${name}-log-agent` },
  }, { parent });
  const policy = new aws.iam.RolePolicy(`${name}-logs`, {
    role: args.role.id,
    policy: pulumi.all([args.logGroup.arn, parameter.arn]).apply(([groupArn, parameterArn]) => logWritePolicy(groupArn, parameterArn)),
  }, { parent });
  return { parameter, policy, bootScript: parameter.name.apply(logAgentBootScript) };
}
