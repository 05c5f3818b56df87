/**
 * Task sizes Fargate accepts, from the AWS documentation ("Amazon ECS task CPU and memory", Fargate column):
 * CPU units and, for each, the memory range in MiB and its step.
 */
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; min: number; max: number; step: number }> = [
  { cpu: 256, min: 512, max: 2048, step: 512 }, // 512, 1024 and 2048 only: see below
  { cpu: 512, min: 1024, max: 4096, step: 1024 },
  { cpu: 1024, min: 2048, max: 8192, step: 1024 },
  { cpu: 2048, min: 4096, max: 16384, step: 1024 },
  { cpu: 4096, min: 8192, max: 30720, step: 1024 },
  { cpu: 8192, min: 16384, max: 61440, step: 4096 },
  { cpu: 16384, min: 32768, max: 122880, step: 8192 },
];

/** Why Fargate would refuse this CPU/memory pair, or undefined when it accepts it. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const size = FARGATE_SIZES.find((s) => s.cpu === cpu);
  if (!size) return `CPU ${cpu} is not a Fargate size; use one of ${FARGATE_SIZES.map((s) => s.cpu).join(", ")}`;
  // 256 CPU units allow 512, 1024 and 2048 MiB: the only range whose step is not from its minimum.
  const allowed = cpu === 256 ? [512, 1024, 2048] : range(size.min, size.max, size.step);
  if (!allowed.includes(memory)) {
    const choices = allowed.length <= 4 ? allowed.join(", ") : `${size.min}-${size.max} in steps of ${size.step}`;
    return `memory ${memory} MiB does not fit ${cpu} CPU units on Fargate; use ${choices} MiB`;
  }
  return undefined;
}

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}

/** A container user or `user:group` by name or id that is not root (`root`, `0`), as ECS's `user` field takes it. */
export const NON_ROOT_USER = /^(?!root(:|$))(?!0+(:|$))[\w.-]{1,64}(:[\w.-]{1,64})?$/;

/** CPU architectures Fargate runs Linux tasks on. */
export const CPU_ARCHITECTURES = ["X86_64", "ARM64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

/** Image platforms Fargate can run, and the architecture each needs. */
export const FARGATE_PLATFORMS = ["linux/amd64", "linux/arm64"] as const;
export const PLATFORM_OF: Record<CpuArchitecture, (typeof FARGATE_PLATFORMS)[number]> = { X86_64: "linux/amd64", ARM64: "linux/arm64" };
