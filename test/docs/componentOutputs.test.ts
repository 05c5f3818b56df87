import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/**
 * Every output a component declares (`public readonly x: ...`) is documented and registered with
 * `this.registerOutputs({...})`, and nothing is registered that is not declared: what the class promises is what
 * Pulumi records.
 */
const dir = path.join(__dirname, "..", "..", "components");

interface ComponentOutputs { declared: string[]; undocumented: string[]; registered: string[] }

function componentOutputs(): Map<string, ComponentOutputs> {
  const found = new Map<string, ComponentOutputs>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      if (!node.heritageClauses?.some((h) => h.getText(source).includes("ComponentResource"))) return;
      const outputs = node.members.filter((m): m is ts.PropertyDeclaration =>
        ts.isPropertyDeclaration(m) && !!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PublicKeyword) && !!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword));
      const registered: string[] = [];
      const visit = (n: ts.Node): void => {
        if (ts.isCallExpression(n) && n.expression.getText(source) === "this.registerOutputs" && n.arguments[0] && ts.isObjectLiteralExpression(n.arguments[0])) {
          for (const p of n.arguments[0].properties) if (p.name) registered.push(p.name.getText(source));
        }
        n.forEachChild(visit);
      };
      visit(node);
      found.set(node.name.text, {
        declared: outputs.map((o) => o.name.getText(source)).sort(),
        undocumented: outputs.filter((o) => ts.getJSDocCommentsAndTags(o).length === 0).map((o) => o.name.getText(source)),
        registered: registered.sort(),
      });
    });
  }
  return found;
}

describe("component outputs", () => {
  const components = componentOutputs();

  it("finds every component", () => {
    expect([...components.keys()].sort()).toEqual(expect.arrayContaining(["BlueGreenService", "ContainerCluster", "ContainerService", "FileArchive", "ImmutableInstanceGroup", "LoadBalancer", "Network", "SiteToSiteVpn"]));
  });

  it.each([...components.entries()])("%s registers exactly the outputs it declares", (_name, { declared, registered }) => {
    expect(registered).toEqual(declared);
  });

  it.each([...components.entries()])("%s documents every output", (_name, { undocumented }) => {
    expect(undocumented).toEqual([]);
  });
});
