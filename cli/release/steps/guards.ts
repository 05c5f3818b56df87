import type { ReleaseContext } from "../context";
import { ReleaseError } from "../errors";
import { requireServing } from "../healthWait";
import type { Color, ServiceLedger } from "../ledger";
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
