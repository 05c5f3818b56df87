import * as path from "node:path";
import { planStack } from "../../cli/plan/planStack";
import { ofType, one } from "../harness";

const root = path.join(__dirname, "..", "..");

describe("every alarm notifies the environment's alarm topic", () => {
  it("production's slot alarms and VPN tunnel alarms publish to its topic, which has the configured subscribers", async () => {
    const p = await planStack({ cwd: root, stack: "production" });
    const topicArn = (p.outputs as { alarmTopicArn: string }).alarmTopicArn;
    expect(one(p, "aws:sns/topic:Topic", "alarms")).toBeDefined();
    expect(topicArn).toMatch(/^arn:aws:sns:eu-west-1:/);
    expect(ofType(p, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs)).toEqual([
      { topic: topicArn, protocol: "email", endpoint: "ops-alerts@example.com" },
    ]);
    const alarms = ofType(p, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.filter((a) => a.name.startsWith("office-vpn-")).length).toBe(2);
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    for (const alarm of alarms) expect({ name: alarm.name, actions: alarm.inputs.alarmActions }).toEqual({ name: alarm.name, actions: expect.arrayContaining([topicArn]) });
  });

  it("production refuses to have no subscriber, naming the key and the fix", async () => {
    await expect(planStack({ cwd: root, stack: "production", sets: ["notifications.subscribers=[]"] })).rejects.toThrow(
      "flipstack:notifications.subscribers: production needs at least one subscriber to its alarm topic",
    );
  });

  it("staging may have none, and then still has the topic for whoever subscribes later", async () => {
    const p = await planStack({ cwd: root, stack: "staging", sets: ["notifications=null"] });
    expect(ofType(p, "aws:sns/topic:Topic")).toHaveLength(1);
    expect(ofType(p, "aws:sns/topicSubscription:TopicSubscription")).toHaveLength(0);
  });
});
