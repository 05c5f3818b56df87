import * as aws from "@pulumi/aws";
import type { NotificationSettings } from "./config";

/**
 * The environment's alarm topic and its subscribers: every slot alarm and VPN tunnel alarm notifies it. SNS costs
 * nothing at this volume (the first million publishes and a thousand emails a month are free).
 *
 * The topic is not KMS-encrypted: CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a
 * customer key costs $1 a month per environment for messages that hold only alarm names and states.
 */
export function createAlarmTopic(settings: NotificationSettings, tags: Record<string, string>): aws.sns.Topic {
  const topic = new aws.sns.Topic("alarms", { tags });
  for (const subscriber of settings.subscribers) {
    // Keyed by the endpoint, so that adding or removing one subscriber leaves the others as they are.
    const key = subscriber.endpoint.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
    new aws.sns.TopicSubscription(`alarms-${subscriber.protocol}-${key}`, { topic: topic.arn, protocol: subscriber.protocol, endpoint: subscriber.endpoint });
  }
  return topic;
}
