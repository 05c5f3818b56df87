import { fetchConfigCommand } from "../../components/logAgent";
import { list, record, stackRule, type StackResource } from "./define";

const GROUP = "flipstack:compute:ImmutableInstanceGroup";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const PARAMETER = "aws:ssm/parameter:Parameter";
/** AWS managed policies that let an instance write to every log group of the account. */
const BROAD_LOG_POLICIES = /:policy\/(CloudWatchAgentServerPolicy|CloudWatchAgentAdminPolicy|CloudWatchLogsFullAccess|AdministratorAccess|PowerUserAccess)$/;

const parsed = (text: unknown): unknown => {
  try {
    return typeof text === "string" ? JSON.parse(text) : text;
  } catch {
    return undefined;
  }
};

/** Log groups the agent config sends to (its `collect_list` entries). */
function configuredLogGroups(parameter: StackResource): string[] {
  const config = record(parsed(parameter.props.insecureValue ?? parameter.props.value));
  return list(record(record(record(config.logs).logs_collected).files).collect_list).map((entry) => String(record(entry).log_group_name));
}

/** Whether an IAM action pattern (`logs:*`, `*`, `logs:Put*`) covers this action. */
const covers = (pattern: unknown, action: string) =>
  new RegExp(`^${String(pattern).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

/** Resources of the role policies' statements that allow writing log events, or undefined while a policy is unknown. */
function logWriteResources(policies: StackResource[]): string[] | undefined {
  const resources: string[] = [];
  for (const policy of policies) {
    if (policy.props.policy === undefined) return undefined;
    for (const statement of list(record(parsed(policy.props.policy)).Statement).map(record)) {
      if (statement.Effect !== "Allow" || ![statement.Action].flat().some((a) => covers(a, "logs:PutLogEvents"))) continue;
      resources.push(...[statement.Resource].flat().map(String));
    }
  }
  return resources;
}

/** A log group's ARN, alone or with `:*` for its streams: what a grant scoped to that group names. */
const scopedTo = (resource: string, groups: string[]) =>
  groups.some((group) => resource.endsWith(`:log-group:${group}`) || resource.endsWith(`:log-group:${group}:*`)) && !resource.slice(0, resource.indexOf(":log-group:")).includes("*");

/** Problems of one instance group: agent not started at boot, no grant to write its logs, or a grant wider than its log group. */
function groupProblems(group: StackResource, resources: readonly StackResource[]): Array<[string, string]> {
  const children = resources.filter((r) => r.parent === group.urn);
  const template = children.find((r) => r.type === LT);
  if (!template) return [];
  const parameters = children.filter((r) => r.type === PARAMETER);
  const userData = template.props.userData;
  // During a real preview a new group's user data is unknown: the parameter's name comes from its log group's.
  if (userData === undefined && parameters.length > 0) return [];
  const text = typeof userData === "string" ? Buffer.from(userData, "base64").toString("utf8") : "";
  const parameter = parameters.find((p) => typeof p.props.name === "string" && text.includes(fetchConfigCommand(p.props.name)));
  const where = `instance group ${group.name}`;
  if (!parameter) {
    return [[template.urn, `${where}: the user data does not start the CloudWatch agent with a config of the group (\`${fetchConfigCommand("<parameter>")}\`), so its logs die with its instances`]];
  }
  const logGroups = configuredLogGroups(parameter);
  if (logGroups.length === 0) return [[parameter.urn, `${where}: the CloudWatch agent config collects no log files`]];

  const problems: Array<[string, string]> = children
    .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && BROAD_LOG_POLICIES.test(String(r.props.policyArn)))
    .map((r) => [r.urn, `${where}: ${String(r.props.policyArn).split("/").pop()} lets the instances write to every log group of the account; grant their own log group only`]);
  const granted = logWriteResources(children.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy"));
  if (granted === undefined) return problems;
  if (granted.length === 0) problems.push([template.urn, `${where}: the instance role may not write to its log group ${logGroups.join(", ")} (logs:CreateLogStream and logs:PutLogEvents on its ARN)`]);
  const wide = granted.filter((resource) => !scopedTo(resource, logGroups));
  if (wide.length > 0) problems.push([template.urn, `${where}: the instance role may write logs to ${wide.join(", ")}; scope the grant to its log group ${logGroups.join(", ")}`]);
  return problems;
}

export const instanceLogRules = [
  stackRule("flipstack-instance-logs-shipped", "Flipstack: instance groups start the CloudWatch agent at boot and may write to their own log group only", "mandatory", (resources) =>
    resources.filter((r) => r.type === GROUP).flatMap((group) => groupProblems(group, resources))),
];
