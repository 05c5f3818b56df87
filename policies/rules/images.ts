import { containers, record, resourceRule, stackRule } from "./define";

const REPOSITORY = "aws:ecr/repository:Repository";

/** Image repositories (ECR controls) and what slots run from them. */
export const imageRules = [
  resourceRule("ecr-1-scan-on-push", "ECR.1: Private repositories scan images on push", "mandatory", [REPOSITORY], (props) =>
    record(props.imageScanningConfiguration).scanOnPush === true ? undefined : "imageScanningConfiguration.scanOnPush must be true"),
  resourceRule("ecr-2-immutable-tags", "ECR.2: Private repositories have tag immutability", "mandatory", [REPOSITORY], (props) =>
    props.imageTagMutability === "IMMUTABLE" ? undefined : "imageTagMutability must be IMMUTABLE: a release's tag must never point at other code"),
  stackRule("ecr-3-lifecycle-policy", "ECR.3: Private repositories have a lifecycle policy", "mandatory", (resources) => {
    const governed = new Set(resources.filter((r) => r.type === "aws:ecr/lifecyclePolicy:LifecyclePolicy").map((r) => String(r.props.repository)));
    return resources.filter((r) => r.type === REPOSITORY && r.props.name !== undefined && !governed.has(String(r.props.name)))
      .map((r): [string, string] => [r.urn, `repository ${String(r.props.name)} has no lifecycle policy; its images grow without bound`]);
  }),
  // A tag in an immutable repository cannot move either, so this only advises; images Flipstack builds are digests.
  resourceRule("flipstack-image-digest", "Flipstack: slots run images pinned by digest", "advisory", ["aws:ecs/taskDefinition:TaskDefinition"], (props) =>
    containers(props).filter((c) => typeof c.image === "string" && !c.image.includes("@sha256:"))
      .map((c) => `container ${String(c.name)} runs ${String(c.image)}, pinned by tag; deploy with \`--build\` (or \`--image repo@sha256:...\`) so what the slot runs can never change`)),
];
