import { idleColor, type ReleaseState } from "../../components/release";
import type { Plan } from "../plan/model";

export interface ReleaseRow {
  service: string;
  live: string;
  liveVersion: string;
  idle?: string;
  idleVersion?: string;
}

const SERVICE_TYPE = "flipstack:traffic:BlueGreenService";

/** Release status of every blue/green service in a plan, read from the components' inputs. */
export function releaseRows(plan: Plan): ReleaseRow[] {
  return plan.resources
    .filter((r) => r.type === SERVICE_TYPE)
    .map((r) => {
      const release = r.inputs.release as ReleaseState;
      const idle = idleColor(release);
      return {
        service: String(r.inputs.serviceName ?? r.name),
        live: release.live,
        liveVersion: release[release.live]?.version ?? "(none)",
        ...(idle && { idle, idleVersion: release[idle]!.version }),
      };
    });
}

export function releaseLines(plan: Plan): string[] {
  const rows = releaseRows(plan);
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.service.length));
  return [
    "Releases:",
    ...rows.map((r) => `  ${r.service.padEnd(width)}  live ${r.live} ${r.liveVersion}  ${r.idle ? `idle ${r.idle} ${r.idleVersion}` : "no idle slot"}`),
  ];
}
