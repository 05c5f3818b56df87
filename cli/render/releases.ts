import { idleColor, type ReleaseState } from "../../components/release";
import type { Plan, PlannedResource } from "../plan/model";

export interface ReleaseRow {
  service: string;
  /** The service name, followed by its component path (`shop-eu/storefront`) when two services share the name. */
  label: string;
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
  const services = plan.resources.filter((r) => r.type === SERVICE_TYPE);
  const nameOf = (r: PlannedResource) => String(r.inputs.serviceName ?? r.name);
  const shared = (name: string) => services.filter((r) => nameOf(r) === name).length > 1;
  return services
    .map((r) => {
      const release = r.inputs.release as ReleaseState;
      const idle = idleColor(release);
      return {
        service: nameOf(r),
        label: shared(nameOf(r)) ? `${nameOf(r)} (${componentPath(plan, r)})` : nameOf(r),
        live: release.live,
        liveVersion: release[release.live]?.version ?? "(none)",
        ...(idle && { idle, idleVersion: release[idle]!.version }),
        weight: idle ? (release.weight ?? 0) : 0,
      };
    });
}

/** Logical names from the outermost component down to the resource, the stack left out: `shop-eu/storefront`. */
function componentPath(plan: Plan, resource: PlannedResource): string {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const names: string[] = [];
  for (let r: PlannedResource | undefined = resource; r && r.type !== "pulumi:pulumi:Stack"; r = r.parent ? byUrn.get(r.parent) : undefined) names.unshift(r.name);
  return names.join("/");
}

export function releaseLines(plan: Plan): string[] {
  const rows = releaseRows(plan);
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.label.length));
  return [
    "Releases:",
    ...rows.map((r) => `  ${r.label.padEnd(width)}  ${releaseSplit(r)}`),
  ];
}

/** `live green 3f2c1ab  idle blue 9d8e7f6`, or during a shift `live green 3f2c1ab 90% / blue 9d8e7f6 10%`. */
export function releaseSplit(r: ReleaseRow): string {
  if (r.weight > 0) return `live ${r.live} ${r.liveVersion} ${100 - r.weight}% / ${r.idle} ${r.idleVersion} ${r.weight}%`;
  return `live ${r.live} ${r.liveVersion}  ${r.idle ? `idle ${r.idle} ${r.idleVersion}` : "no idle slot"}`;
}
