import * as path from "node:path";
import { planStack } from "../../cli/plan/planStack";
import type { Plan } from "../../cli/plan/model";
import { ofType } from "../harness";

const root = path.join(__dirname, "..", "..");
const REPOSITORY = "aws:ecr/repository:Repository";
const STAGING_API = "arn:aws:ecr:eu-west-1:123456789012:repository/api";
const plans: Record<string, Promise<Plan>> = {};
const plan = (stack: string) => (plans[stack] ??= planStack({ cwd: root, stack }));

/** The ECR statements of every container slot's execution role. */
function pullStatements(p: Plan) {
  return ofType(p, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.endsWith("-pull"))
    .map((r) => JSON.parse(String(r.inputs.policy)).Statement.find((s: { Action: string[] }) => s.Action.includes("ecr:BatchGetImage")));
}

describe("image repositories: built in staging, pulled by production and previews", () => {
  it("staging owns one repository per container service, kept on delete, and lets its own account pull by default", async () => {
    const p = await plan("staging");
    const repositories = ofType(p, REPOSITORY);
    expect(repositories.map((r) => r.inputs.name)).toEqual(["api"]);
    expect(repositories[0].options).toMatchObject({ retainOnDelete: true });
    const policy = JSON.parse(String(ofType(p, "aws:ecr/repositoryPolicy:RepositoryPolicy")[0].inputs.policy));
    expect(policy.Statement[0].Principal).toEqual({ AWS: ["arn:aws:iam::123456789012:root"] });
    expect(p.outputs.imageRepositories).toEqual({ api: { url: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api", arn: STAGING_API } });
  });

  it("grants production's account when it is another one", async () => {
    const p = await planStack({ cwd: root, stack: "staging", sets: ["images.productionAccountId=210987654321"] });
    const policy = JSON.parse(String(ofType(p, "aws:ecr/repositoryPolicy:RepositoryPolicy")[0].inputs.policy));
    expect(policy.Statement[0].Principal).toEqual({ AWS: ["arn:aws:iam::210987654321:root"] });
  });

  it.each(["production", "pr-42"])("%s creates no repository and its slots pull from staging's alone", async (stack) => {
    const p = await plan(stack);
    expect(ofType(p, REPOSITORY)).toEqual([]);
    const statements = pullStatements(p);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.every((s) => s.Resource === STAGING_API)).toBe(true);
    expect(ofType(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((r) => String(r.inputs.policyArn).includes("ECSTaskExecution"))).toEqual([]);
  });

  it("production's ledger says it builds nothing: it runs the digests staging pushed", async () => {
    const services = (await plan("production")).outputs.services as Record<string, { repository: unknown }>;
    expect(services.api.repository).toEqual({ url: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api", builds: false });
    expect(services.web.repository).toBeNull();
  });

  it("refuses a repository that keeps fewer images than a rollback may need, naming the key", async () => {
    await expect(planStack({ cwd: root, stack: "staging", sets: ["services.api.imageRetention=5"] })).rejects.toThrow("flipstack:services.api.imageRetention");
  });
});
