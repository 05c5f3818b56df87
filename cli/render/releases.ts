import { idleColor, type ReleaseState } from "../../components/release";
import type { Plan } from "../plan/model";

export interface ReleaseRow {
  service: string;
  live: string;
  liveVersion: string;
  idle?: string;
  idleVersion?: string;
  /** Percent of users on the idle slot during a shift; 0 otherwise. */
  weight: number;
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
        weight: idle ? (release.weight ?? 0) : 0,
      };
    });
}

export function releaseLines(plan: Plan): string[] {
  const rows = releaseRows(plan);
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.service.length));
  return [
    "Releases:",
    ...rows.map((r) => `  ${r.service.padEnd(width)}  ${releaseSplit(r)}`),
  ];
}

/** `live green 3f2c1ab  idle blue 9d8e7f6`, or during a shift `live green 3f2c1ab 90% / blue 9d8e7f6 10%`. */
export function releaseSplit(r: ReleaseRow): string {
  if (r.weight > 0) return `live ${r.live} ${r.liveVersion} ${100 - r.weight}% / ${r.idle} ${r.idleVersion} ${r.weight}%`;
  return `live ${r.live} ${r.liveVersion}  ${r.idle ? `idle ${r.idle} ${r.idleVersion}` : "no idle slot"}`;
}
