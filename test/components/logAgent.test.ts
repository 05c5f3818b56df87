import * as fs from "node:fs";
import * as path from "node:path";
import {
  logAgentConfig,
  logAgentParameterName,
  logSources,
  logStreamName,
  logWritePolicy,
  USER_DATA_BUDGET_BYTES,
  userDataProblem,
  withLogAgent,
  logAgentBootScript,
} from "../../components/logAgent";

describe("log agent helpers", () => {
  describe("logAgentParameterName", () => {
    it.each([
      ["a Flipstack log group: beside it", "/flipstack/staging/web-abc", "blue", "2026.11.3", "/flipstack/staging/web-abc/blue/2026.11.3/cloudwatch-agent"],
      ["another log group: under /flipstack/log-agent", "/aws/ec2/web", "green", "1.0", "/flipstack/log-agent/aws/ec2/web/green/1.0/cloudwatch-agent"],
      ["a group without a leading slash", "web-blue-logs-1a2b3c4", "blue", "1.0", "/flipstack/log-agent/web-blue-logs-1a2b3c4/blue/1.0/cloudwatch-agent"],
      ["characters SSM refuses", "/flipstack/x#y", "blue", "1.0+build", "/flipstack/x-y/blue/1.0-build/cloudwatch-agent"],
    ])("%s", (_case, group, color, release, expected) => {
      expect(logAgentParameterName(group, color, release)).toBe(expected);
    });
  });

  it("names streams release first, then the instance, then the source", () => {
    expect(logStreamName("2026.11.3", "app")).toBe("2026.11.3/{instance_id}/app");
    // `:` and `*` are not allowed in stream names.
    expect(logStreamName("1.0:rc*1", "system")).toBe("1.0-rc-1/{instance_id}/system");
  });

  it("configures one entry per source, all into the one log group", () => {
    const config = JSON.parse(logAgentConfig("/g", "r1", logSources("/var/log/app.log")));
    expect(config.logs.logs_collected.files.collect_list.map((e: { file_path: string }) => e.file_path)).toEqual(["/var/log/app.log", "/var/log/messages", "/var/log/cloud-init-output.log"]);
    expect(new Set(config.logs.logs_collected.files.collect_list.map((e: { log_group_name: string }) => e.log_group_name))).toEqual(new Set(["/g"]));
    expect(config.metrics).toBeUndefined();
  });

  it("grants log writes on the group and its streams only, and one parameter", () => {
    const policy = JSON.parse(logWritePolicy("arn:aws:logs:eu-west-1:1:log-group:/g", "arn:aws:ssm:eu-west-1:1:parameter/p"));
    expect(policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource)).toEqual(["arn:aws:logs:eu-west-1:1:log-group:/g", "arn:aws:logs:eu-west-1:1:log-group:/g:*", "arn:aws:ssm:eu-west-1:1:parameter/p"]);
    expect(policy.Statement.flatMap((s: { Action: string[] }) => s.Action)).not.toContain("logs:CreateLogGroup");
  });

  it("uses the agent from the AMI when it is there and installs it otherwise", () => {
    const script = logAgentBootScript("/p");
    expect(script).toMatch(/if \[ ! -x "\$ctl" \]; then\n {2}if \[ -n "\$pkg" \]; then "\$pkg" install -y amazon-cloudwatch-agent;/);
    expect(script.trimEnd().split("\n").pop()).toBe("/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:/p");
  });

  describe("user data budget", () => {
    it("leaves the caller most of EC2's 16 KiB", () => {
      expect(USER_DATA_BUDGET_BYTES).toBeGreaterThan(14_000);
      expect(USER_DATA_BUDGET_BYTES).toBeLessThan(16 * 1024);
    });

    it("fits EC2's limit at the budget, even with the longest parameter name", () => {
      const userData = withLogAgent(logAgentBootScript("/".repeat(1011)), "x".repeat(USER_DATA_BUDGET_BYTES));
      expect(Buffer.byteLength(userData, "utf8")).toBeLessThanOrEqual(16 * 1024);
      expect(userDataProblem("x".repeat(USER_DATA_BUDGET_BYTES))).toBeUndefined();
      expect(userDataProblem("x".repeat(USER_DATA_BUDGET_BYTES + 1))).toMatch(/keep it to \d+/);
    });
  });
});

describe("the README", () => {
  it("states the user data budget the code enforces", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readme).toContain(`at most ${USER_DATA_BUDGET_BYTES} bytes`);
  });
});
