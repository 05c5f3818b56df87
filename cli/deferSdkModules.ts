import Module from "node:module";

/**
 * Two of the Pulumi SDK's dependencies are needed only to serialise a JavaScript function into a Lambda's code
 * (`aws.lambda.CallbackFunction`, `pulumi.runtime.serializeFunction`), yet the SDK requires them as soon as it is
 * loaded: the TypeScript compiler and npm's Arborist with its registry client. Together they are half the time and
 * a third of the memory of loading `@pulumi/pulumi` (about 280 ms and 50 MiB here), paid by every `flipstack`
 * command and almost never used. Each of them is handed to the SDK as a stand-in that loads the real module the
 * first time it is used, so a program that does serialise a function still gets the real compiler.
 */
const DEFERRED: readonly Deferred[] = [
  // `const ts = require("../../typescript-shim")`: only property reads (`ts.createSourceFile`, `ts.SyntaxKind`).
  { request: "../../typescript-shim", esModule: false },
  // `__importStar(require("@npmcli/arborist"))`: claiming an ES module keeps `__importStar` from copying every
  // export (which would load it); the code then reads `arborist.Arborist`.
  { request: "@npmcli/arborist", esModule: true },
];

interface Deferred {
  request: string;
  /** What the stand-in answers for `__esModule` before the real module is loaded. */
  esModule: boolean;
}

// Only the SDK's function serialisation asks for these; the same request from anywhere else loads as usual.
const FROM_FUNCTION_SERIALISATION = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]closure[\\/][^\\/]+\.js$/;

type Load = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean) => unknown;

let installed = false;

/** Call before `@pulumi/pulumi` is first required; later calls do nothing. */
export function deferSdkModules(): void {
  if (installed) return;
  installed = true;
  const moduleWithLoad = Module as unknown as { _load: Load };
  const load = moduleWithLoad._load;
  moduleWithLoad._load = function (request, parent, isMain) {
    const deferred = DEFERRED.find((d) => d.request === request);
    if (deferred && parent?.filename && FROM_FUNCTION_SERIALISATION.test(parent.filename)) {
      return loadOnFirstUse(deferred, () => load.call(this, request, parent, isMain));
    }
    return load.call(this, request, parent, isMain);
  };
}

function loadOnFirstUse(deferred: Deferred, loadReal: () => unknown): unknown {
  let real: object | undefined;
  const module = () => (real ??= loadReal() as object);
  // A function target, so that a module exporting a class or function can still be called or constructed.
  return new Proxy(function deferredModule() {}, {
    get: (_, key) => (key === "__esModule" && real === undefined ? deferred.esModule : Reflect.get(module(), key)),
    has: (_, key) => Reflect.has(module(), key),
    ownKeys: () => Reflect.ownKeys(module()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
      // A proxy may not report a property as non-configurable unless its target has it so.
      return descriptor && { ...descriptor, configurable: true };
    },
    apply: (_, self, args) => Reflect.apply(module() as (...a: unknown[]) => unknown, self, args),
    construct: (_, args) => Reflect.construct(module() as new (...a: unknown[]) => object, args),
  });
}
