import type * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "./model";
import { plainFromWire } from "./wireValues";

// The request and response objects of Pulumi's resource monitor protocol, as far as the recorder reads them.
interface StructLike {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): StructLike | undefined;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }) => void): void };
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getProvider(): string;
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): StructLike | undefined;
}
type Callback<T> = (err: unknown, response: T) => void;
interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback<RegisterResponse>): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, callback: Callback<unknown>): void;
}

/**
 * Records what the engine would receive for every resource registration: the mock callback alone sees neither
 * the parent nor the options, the monitor request carries both (exactly what `pulumi up` sends to the engine).
 */
export class PlanRecorder {
  readonly resources: PlannedResource[] = [];
  stackOutputs: Record<string, unknown> = {};
  /** Registrations the mocks refused (an unknown data source, a missing stack reference). */
  readonly errors: unknown[] = [];

  attach(runtime: typeof pulumi.runtime): void {
    const monitor = runtime.getMonitor() as unknown as Monitor;
    const registerResource = monitor.registerResource.bind(monitor);
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);

    const urns = new Set<string>();
    monitor.registerResource = (req, callback) =>
      registerResource(req, (err, response) => {
        if (err) this.errors.push(err);
        else if (urns.has(response.getUrn())) this.errors.push(duplicateUrn(response.getUrn()));
        else {
          urns.add(response.getUrn());
          this.resources.push(describe(req, response.getUrn(), response.getId()));
        }
        callback(err, response);
      });

    monitor.registerResourceOutputs = (req, callback) => {
      if (isStackUrn(req.getUrn(), runtime.rootPulumiStackTypeName)) {
        this.stackOutputs = plainFromWire(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      }
      registerResourceOutputs(req, callback);
    };
  }
}

// The engine refuses a second registration of a URN with this message, and so does the plan: the mock monitor
// would accept it and the tree would show two resources where `pulumi up` creates none.
function duplicateUrn(urn: string): Error {
  return new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
}

// urn:pulumi:<stack>::<project>::<type chain>::<name>; the root stack's type chain is its type alone.
function isStackUrn(urn: string, stackType: string): boolean {
  return urn.split("::")[2] === stackType;
}

function describe(req: RegisterRequest, urn: string, id: string): PlannedResource {
  // Dependencies that arrive through an input are implicit; what is left was asked for with `dependsOn`.
  const implicit = new Set<string>();
  req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => implicit.add(u)));
  const provider = req.getProvider();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    ...(req.getCustom() && id ? { id } : {}),
    parent: req.getParent() || null,
    custom: req.getCustom(),
    inputs: plainFromWire(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    options: {
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      dependsOn: req.getDependenciesList().filter((u) => !implicit.has(u)),
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      ...(provider ? { provider } : {}),
    },
  };
}
