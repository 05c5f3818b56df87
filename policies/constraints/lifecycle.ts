import type { PlannedResource } from "../../model/plan";
import { list, record, type Constraint } from "./check";

type Finding = [PlannedResource, string];

// S3's transition waterfall: objects only move down it (right), never back up.
const WATERFALL = ["STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];
const INFREQUENT = new Set(["STANDARD_IA", "ONEZONE_IA"]);
/** Days an object stays in S3 before it may move to an infrequent-access class, and stays there before moving on. */
export const INFREQUENT_ACCESS_MIN_DAYS = 30;

interface Step { days: number; storageClass: string }

function stepProblems(steps: Step[], what: string, expireDays: number | undefined): string[] {
  const problems: string[] = [];
  const sorted = [...steps].sort((a, b) => a.days - b.days);
  sorted.forEach((step, i) => {
    if (INFREQUENT.has(step.storageClass) && step.days < INFREQUENT_ACCESS_MIN_DAYS) {
      problems.push(`${what} to ${step.storageClass} after ${step.days} days; S3 needs at least ${INFREQUENT_ACCESS_MIN_DAYS}`);
    }
    const previous = sorted[i - 1];
    if (!previous) return;
    if (WATERFALL.indexOf(step.storageClass) <= WATERFALL.indexOf(previous.storageClass)) {
      problems.push(`${what} to ${step.storageClass} (day ${step.days}) comes after ${previous.storageClass} (day ${previous.days}); objects only move down ${WATERFALL.join(" → ")}`);
    } else if (INFREQUENT.has(previous.storageClass) && step.days - previous.days < INFREQUENT_ACCESS_MIN_DAYS) {
      problems.push(`${what} to ${step.storageClass} on day ${step.days} is ${step.days - previous.days} days after ${previous.storageClass}; objects stay ${INFREQUENT_ACCESS_MIN_DAYS} days there first`);
    }
  });
  const last = sorted[sorted.length - 1];
  if (last && expireDays !== undefined && expireDays <= last.days) problems.push(`expiration after ${expireDays} days is not later than the ${what} to ${last.storageClass} (day ${last.days})`);
  return problems;
}

export const lifecycleConstraints: Constraint[] = [{
  rule: "aws-s3-lifecycle-transitions",
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
  check: (_plan, index) => index.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").flatMap((config): Finding[] =>
    list(config.inputs.rules).map(record).flatMap((rule) => {
      const current = list(rule.transitions).map(record).filter((t) => t.days !== undefined).map((t) => ({ days: Number(t.days), storageClass: String(t.storageClass) }));
      const noncurrent = list(rule.noncurrentVersionTransitions).map(record).map((t) => ({ days: Number(t.noncurrentDays), storageClass: String(t.storageClass) }));
      const expire = record(rule.expiration).days;
      const expireNoncurrent = record(rule.noncurrentVersionExpiration).noncurrentDays;
      return [
        ...stepProblems(current, "transition", expire === undefined ? undefined : Number(expire)),
        ...stepProblems(noncurrent, "noncurrent-version transition", expireNoncurrent === undefined ? undefined : Number(expireNoncurrent)),
      ].map((problem): Finding => [config, `rule ${String(rule.id ?? "")}: ${problem}`]);
    })),
}];
