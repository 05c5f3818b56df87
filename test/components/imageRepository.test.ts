import { ImageRepository, lifecyclePolicyDocument, MIN_KEPT_IMAGES, validateImageRepositoryArgs, type ImageRepositoryArgs } from "../../components/imageRepository";
import { ofType, one, planOf } from "../harness";

const plan = (args: Partial<ImageRepositoryArgs> = {}) =>
  planOf(() => new ImageRepository("images-api", { repositoryName: "api", ...args }));

describe("ImageRepository", () => {
  it("creates an immutable, scanned, AES-256 encrypted repository named after the service", async () => {
    const repository = one(await plan(), "aws:ecr/repository:Repository", "images-api-repository");
    expect(repository.inputs).toMatchObject({
      name: "api",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "AES256" }],
      forceDelete: false,
    });
  });

  it("encrypts with the given KMS key instead", async () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/0b6e1c8e-1111-4222-8333-444455556666";
    const repository = one(await plan({ kmsKeyArn: key }), "aws:ecr/repository:Repository", "images-api-repository");
    expect(repository.inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS", kmsKey: key }]);
  });

  it("keeps the newest 200 images by default, or as many as asked", async () => {
    const policy = (p: Awaited<ReturnType<typeof plan>>) => JSON.parse(String(one(p, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "images-api-lifecycle").inputs.policy));
    expect(policy(await plan()).rules).toEqual([expect.objectContaining({
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 200 },
      action: { type: "expire" },
    })]);
    expect(policy(await plan({ keepImages: 50 })).rules[0].selection.countNumber).toBe(50);
    expect(JSON.parse(lifecyclePolicyDocument(12)).rules).toHaveLength(1);
  });

  it("lets the listed accounts pull, and only pull", async () => {
    const policy = JSON.parse(String(one(await plan({ pullAccountIds: ["210987654321"] }), "aws:ecr/repositoryPolicy:RepositoryPolicy", "images-api-pull").inputs.policy));
    expect(policy.Statement).toEqual([expect.objectContaining({
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::210987654321:root"] },
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
    })]);
    expect(ofType(await plan(), "aws:ecr/repositoryPolicy:RepositoryPolicy")).toEqual([]);
  });

  it("keeps every resource when the stack is destroyed, and protects them when asked", async () => {
    const kept = (p: Awaited<ReturnType<typeof plan>>) => p.resources.filter((r) => r.custom).map((r) => ({ protect: r.options.protect, retainOnDelete: r.options.retainOnDelete }));
    expect(kept(await plan({ pullAccountIds: ["210987654321"] }))).toEqual(Array(3).fill({ protect: false, retainOnDelete: true }));
    expect(kept(await plan({ protect: true }))).toEqual(Array(2).fill({ protect: true, retainOnDelete: true }));
  });

  it.each([
    [{ keepImages: MIN_KEPT_IMAGES - 1 }, "The `keepImages` 9 must be a whole number from 10 to 10000"],
    [{ repositoryName: "Api" }, 'The `repositoryName` "Api" is not an ECR repository name'],
    [{ pullAccountIds: ["12345"] }, 'The `pullAccountIds` entry "12345" is not a 12-digit AWS account id.'],
  ])("refuses %j before creating anything", (change, message) => {
    expect(validateImageRepositoryArgs({ repositoryName: "api", ...change }).join(" ")).toContain(message);
    expect(() => new ImageRepository("bad", { repositoryName: "api", ...change })).toThrow(message);
  });
});
