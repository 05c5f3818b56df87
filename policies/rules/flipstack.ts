import { flipstackTag, list, record, resourceRule, stackRule } from "./define";

const SERVICE = "flipstack:traffic:BlueGreenService";

export const flipstackRules = [
  resourceRule("flipstack-no-fixed-names", "Flipstack: target groups, launch templates and auto scaling groups have no fixed physical name", "mandatory",
    ["aws:lb/targetGroup:TargetGroup", "aws:ec2/launchTemplate:LaunchTemplate", "aws:autoscaling/group:Group"], (props) =>
      props.name !== undefined ? `fixed name "${String(props.name)}" blocks create-before-delete replacement; use namePrefix or auto-naming` : undefined),
  stackRule("flipstack-live-slot-routed", "Flipstack: each service's live slot exists and its production rule forwards to it", "mandatory", (resources) =>
    resources.filter((r) => r.type === SERVICE).flatMap((service): Array<[string, string]> => {
      const live = record(service.props.release).live as string | undefined;
      // Children by role (their tags), not by name: renaming a child must not turn the rule off.
      const children = resources.filter((r) => r.parent === service.urn);
      const group = children.find((r) => r.type === "aws:lb/targetGroup:TargetGroup" && flipstackTag(r.props, "color") === live);
      const rule = children.find((r) => r.type === "aws:lb/listenerRule:ListenerRule" && flipstackTag(r.props, "route") === "live");
      if (!group) return [[service.urn, `service ${service.name}: live slot ${String(live)} has no target group`]];
      if (!rule) return [[service.urn, `service ${service.name}: no production listener rule`]];
      const action = record(list(rule.props.actions)[0]);
      const liveId = group.props.id;
      const notRouted: Array<[string, string]> = [[rule.urn, `service ${service.name}: the production rule does not forward to the live slot ${String(live)}`]];
      // During a shift one forward action weighs both slots: the live slot must stay in it with a weight above 0.
      const weighted = list(record(action.forward).targetGroups).map(record);
      if (weighted.length > 0) {
        if (liveId === undefined || weighted.some((g) => g.arn === undefined)) return [];
        const entry = weighted.find((g) => g.arn === liveId);
        if (!entry) return notRouted;
        return entry.weight !== undefined && Number(entry.weight) <= 0
          ? [[rule.urn, `service ${service.name}: the production rule gives the live slot ${String(live)} a weight of ${String(entry.weight)}; it must keep at least 1 until the flip`]]
          : [];
      }
      const target = action.targetGroupArn;
      return liveId !== undefined && target !== undefined && target !== liveId ? notRouted : [];
    })),
  stackRule("flipstack-test-listener-private", "Flipstack: the test listener is not open to the world", "mandatory", (resources) => {
    const testPorts = new Set(resources.filter((r) => r.type === "aws:lb/listener:Listener" && ![80, 443].includes(Number(r.props.port))).map((r) => Number(r.props.port)));
    return resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
      && ["0.0.0.0/0", "::/0"].includes(String(r.props.cidrIpv4 ?? r.props.cidrIpv6)) && testPorts.has(Number(r.props.fromPort)))
      .map((r) => [r.urn, `port ${String(r.props.fromPort)} serves the test listener (unverified releases) and must not be open to the world`]);
  }),
];
