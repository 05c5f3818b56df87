import { DescribeRulesCommand, type Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import { withAwsRetry } from "../awsRetry";
import type { ReleaseContext } from "../context";
import { syncReleaseConfig } from "../applyRelease";
import { ReleaseError, refused } from "../errors";
import { requireServing } from "../healthWait";
import { COLORS, type Color, type ServiceLedger } from "../ledger";
import { liveWords } from "./flip";

/**
 * Checks, right before a flip, that the slot traffic is about to move to can serve: at least one healthy target in
 * its target group. A slot that passed verify an hour ago may have lost its instances since, and an old slot kept
 * for rollback is never health-checked by anything else.
 */
export async function requireDestinationServes(ctx: ReleaseContext, ledger: ServiceLedger, destination: Color, step: string): Promise<void> {
  const what = `${destination} ${ledger.versions[destination] ?? "(empty)"}`;
  const arn = ledger.targetGroupArns[destination];
  if (!arn) throw new ReleaseError(`${step}: the stack exports no target group ARN for ${ctx.service} ${destination} (ledger \`targetGroupArns\`), so it cannot be checked before traffic moves to it; users stay on ${liveWords(ledger)}`);
  try {
    const summary = await requireServing(await ctx.aws.elb(), arn, { clock: ctx.clock, log: ctx.log });
    ctx.log(`${step}: ${what} can serve (${summary})`);
  } catch (err) {
    throw new ReleaseError(`${step}: ${what} cannot serve: ${(err as Error).message}; traffic was not moved, users stay on ${liveWords(ledger)}`);
  }
}

/**
 * Reads the live listener rule and stops when it forwards somewhere else than the ledger says is live (drift, a
 * half-finished update): the bake would watch the wrong slot's alarms and a flip would be planned from a false
 * start. A ledger of an older program names no rule; then only the ledger can be trusted, and the log says so.
 */
export async function requireLiveRuleMatches(ctx: ReleaseContext, ledger: ServiceLedger, step: string): Promise<void> {
  const ruleArn = ledger.ruleArns?.live;
  if (!ruleArn) {
    ctx.log(`${step}: the stack's ledger names no live listener rule (an older program); trusting the ledger that ${ledger.live} is live`);
    return;
  }
  const elb = await ctx.aws.elb();
  const command = new DescribeRulesCommand({ RuleArns: [ruleArn] });
  const { Rules: rules = [] } = await withAwsRetry("DescribeRules", () => elb.send(command), ctx.clock, ctx.log);
  const groups = forwardedGroups(rules[0]?.Actions ?? []);
  const expected = ledger.targetGroupArns[ledger.live];
  if (expected && groups.length === 1 && groups[0] === expected) return;
  const slotOf = (arn: string) => COLORS.find((color) => ledger.targetGroupArns[color] === arn) ?? arn;
  const actual = groups.length ? groups.map(slotOf).join(" and ") : "no target group";
  throw new ReleaseError(
    `${step}: ${ctx.service}'s live listener rule forwards to ${actual}, but the stack's ledger says ${ledger.live} (${ledger.liveVersion ?? "no release"}) is live; ` +
      "nothing was changed. Find out which is right (`pulumi refresh` shows drift; a half-finished `pulumi up` is finished by running the same command again) before releasing",
  );
}

/** The target groups a rule's forward action sends traffic to (weight above 0). */
function forwardedGroups(actions: Action[]): string[] {
  const forward = actions.find((a) => a.Type === "forward");
  if (!forward) return [];
  const weighted = forward.ForwardConfig?.TargetGroups?.filter((g) => (g.Weight ?? 1) > 0).map((g) => g.TargetGroupArn ?? "") ?? [];
  return weighted.length ? weighted : forward.TargetGroupArn ? [forward.TargetGroupArn] : [];
}

/**
 * What every flip checks first: the live rule is where the ledger says, and the destination can serve. A flip an
 * operator asked for (promote, rollback) also passes `preview` (the deployed outputs) to make sure its `pulumi up` changes nothing but the listener rules;
 * the bake's automatic rollback skips that preview, being the same run that just promoted, in a hurry.
 */
export async function checkBeforeFlip(ctx: ReleaseContext, ledger: ServiceLedger, step: string, options: { preview?: Record<string, unknown> } = {}): Promise<void> {
  if (!ledger.idle) return;
  await requireLiveRuleMatches(ctx, ledger, step);
  await requireDestinationServes(ctx, ledger, ledger.idle, step);
  if (options.preview) await requireOnlyTheFlipChanges(ctx, step, options.preview);
}

/**
 * A flip changes the listener rules only, but `pulumi up` applies the whole checkout: one that differs from the
 * deployed stack (another branch, a second release from another checkout) would rebuild or change more in the same
 * update. With every service's release config taken from the deployed stack, a preview of the checkout must find
 * nothing to change; then the flip's own update changes the listener rules alone.
 */
export async function requireOnlyTheFlipChanges(ctx: ReleaseContext, step: string, outputs: Record<string, unknown>): Promise<void> {
  await syncReleaseConfig(ctx, outputs, { step });
  const changes = (await ctx.stack.preview()).filter((change) => change.custom);
  if (changes.length === 0) return;
  const shown = changes.slice(0, 8).map((c) => `${c.op} ${c.type} ${c.urn.split("::").pop()}`);
  const more = changes.length > shown.length ? ` and ${changes.length - shown.length} more` : "";
  // A provider's perpetual diff can stand in the way of every flip: the operator may accept it, by name.
  if (ctx.allowCheckoutChanges) {
    ctx.log(`${step}: --allow-checkout-changes: the same update also applies ${shown.join(", ")}${more}`);
    return;
  }
  throw refused(
    `${step}: ${ctx.service}: this checkout would change more than the listener rules: ${shown.join(", ")}${more}; nothing was changed. ` +
      `Apply those changes on their own first (review them with \`pulumi preview --stack ${ctx.stack.name}\`), ${step} from a checkout that matches the deployed stack, ` +
      "or accept them in the same update with `--allow-checkout-changes`",
  );
}
