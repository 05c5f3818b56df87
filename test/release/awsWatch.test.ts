import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { watchAlarms } from "../../cli/release/alarmWatch";
import { waitHealthy } from "../../cli/release/healthWait";

const TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-blue/0123456789abcdef";

function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
}

describe("waiting for the new slot's targets to be healthy (ELBv2)", () => {
  const elb = new ElasticLoadBalancingV2Client({ region: "eu-west-1" });
  const mock = mockClient(elb);
  afterEach(() => mock.reset());
  const target = (id: string, State: "healthy" | "initial" | "unhealthy", Reason?: "Elb.RegistrationInProgress") => ({ Target: { Id: id }, TargetHealth: { State, Reason } });

  it("polls DescribeTargetHealth on the slot's target group until every target is healthy", async () => {
    mock.on(DescribeTargetHealthCommand, { TargetGroupArn: TG })
      .resolvesOnce({ TargetHealthDescriptions: [] })
      .resolvesOnce({ TargetHealthDescriptions: [target("i-1", "initial", "Elb.RegistrationInProgress"), target("i-2", "healthy")] })
      .resolves({ TargetHealthDescriptions: [target("i-1", "healthy"), target("i-2", "healthy")] });
    const clock = fakeClock();
    const logs: string[] = [];
    await waitHealthy(elb, TG, { timeoutMs: 60_000, pollMs: 5_000, clock, log: (l) => logs.push(l) });
    expect(clock.sleeps).toEqual([5_000, 5_000]);
    expect(logs).toEqual(["health: 0/0 targets healthy, waiting (1m 00s left)", "health: 1/2 targets healthy, waiting (55.0 s left)", "health: 2/2 targets healthy"]);
  });

  it("gives up at the timeout, naming the targets that are not healthy", async () => {
    mock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [target("i-1", "initial", "Elb.RegistrationInProgress")] });
    const clock = fakeClock();
    await expect(waitHealthy(elb, TG, { timeoutMs: 12_000, pollMs: 5_000, clock, log: () => undefined })).rejects.toThrow(
      "targets not healthy within 12.0 s: 0/1 targets healthy; i-1 initial (Elb.RegistrationInProgress)",
    );
    expect(clock.sleeps).toEqual([5_000, 5_000, 2_000]);
  });
});

describe("watching alarms during the bake (CloudWatch)", () => {
  const cloudwatch = new CloudWatchClient({ region: "eu-west-1" });
  const mock = mockClient(cloudwatch);
  afterEach(() => mock.reset());
  const alarm = (AlarmName: string, StateValue: "OK" | "ALARM" | "INSUFFICIENT_DATA") => ({ AlarmName, StateValue });

  it("resolves with no alarms once the time is up, polling in between; INSUFFICIENT_DATA is not an alarm", async () => {
    mock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm("api-blue-5xx", "INSUFFICIENT_DATA"), alarm("api-blue-unhealthy-hosts", "OK")] });
    const clock = fakeClock();
    const firing = await watchAlarms(cloudwatch, ["api-blue-5xx", "api-blue-unhealthy-hosts"], { durationMs: 70_000, pollMs: 30_000, clock, log: () => undefined });
    expect(firing).toEqual([]);
    expect(clock.sleeps).toEqual([30_000, 30_000, 10_000]);
    expect(mock.commandCalls(DescribeAlarmsCommand)).toHaveLength(4);
  });

  it("returns at once with the alarms in ALARM", async () => {
    mock.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [alarm("api-blue-5xx", "OK")] })
      .resolves({ MetricAlarms: [alarm("api-blue-5xx", "ALARM")] });
    const clock = fakeClock();
    expect(await watchAlarms(cloudwatch, ["api-blue-5xx"], { durationMs: 600_000, pollMs: 30_000, clock, log: () => undefined })).toEqual(["api-blue-5xx"]);
    expect(clock.sleeps).toEqual([30_000]);
  });

  it("asks for at most 100 alarm names at a time and follows NextToken", async () => {
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    mock.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[]; NextToken?: string }) => {
      const half = Math.ceil(input.AlarmNames.length / 2);
      const page = input.NextToken ? input.AlarmNames.slice(half) : input.AlarmNames.slice(0, half);
      return { MetricAlarms: page.map((n) => alarm(n, "OK")), NextToken: input.NextToken ? undefined : "page-2" };
    });
    const logs: string[] = [];
    await watchAlarms(cloudwatch, names, { durationMs: 0, pollMs: 30_000, clock: fakeClock(), log: (l) => logs.push(l) });
    expect(mock.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length)).toEqual([100, 100, 50, 50]);
    expect(logs.some((l) => l.includes("no alarm named"))).toBe(false);
  });

  it("says which alarms CloudWatch does not know, and that there is nothing to watch", async () => {
    mock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm("api-blue-5xx", "OK")] });
    const logs: string[] = [];
    await watchAlarms(cloudwatch, ["api-blue-5xx", "typo-alarm"], { durationMs: 0, pollMs: 30_000, clock: fakeClock(), log: (l) => logs.push(l) });
    expect(logs).toContain("bake: CloudWatch has no alarm named typo-alarm; watching the others");
    const none: string[] = [];
    await watchAlarms(cloudwatch, [], { durationMs: 0, pollMs: 30_000, clock: fakeClock(), log: (l) => none.push(l) });
    expect(none[0]).toBe("bake: the service has no alarms to watch; add `alarms` to its config");
  });
});
