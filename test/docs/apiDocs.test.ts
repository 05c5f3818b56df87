import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/**
 * The API reference (TypeDoc, `npm run docs`) is generated from the components' JSDoc; this keeps that JSDoc
 * complete: every property of every exported `*Args` interface (and the interfaces they are made of) has a
 * description, and every optional one says its `@default`.
 */
const dir = path.join(__dirname, "..", "..", "components");
const ARG_PARTS = new Set(["InstanceCompute", "ContainerCompute", "HealthCheck", "Release", "ReleaseState"]);

interface Member { where: string; optional: boolean; description: string; hasDefault: boolean }

function documentedMembers(): Member[] {
  const members: Member[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node) || !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
      const name = node.name.text;
      if (!name.endsWith("Args") && !ARG_PARTS.has(name)) return;
      for (const member of node.members) {
        if (!ts.isPropertySignature(member)) continue;
        const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
        const description = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" ").trim();
        const hasDefault = docs.some((d) => d.tags?.some((t) => t.tagName.text === "default"));
        members.push({ where: `${file} ${name}.${member.name.getText(source)}`, optional: !!member.questionToken, description, hasDefault });
      }
    });
  }
  return members;
}

describe("component API documentation", () => {
  const members = documentedMembers();

  it("covers the args of every component", () => {
    const interfaces = new Set(members.map((m) => m.where.split(" ")[1].split(".")[0]));
    for (const args of ["NetworkArgs", "SiteToSiteVpnArgs", "LoadBalancerArgs", "BlueGreenServiceArgs", "ImmutableInstanceGroupArgs", "ContainerServiceArgs", "ContainerClusterArgs", "FileArchiveArgs", "DatabaseArgs"]) {
      expect(interfaces).toContain(args);
    }
  });

  it("describes every arg", () => {
    expect(members.filter((m) => m.description.length === 0).map((m) => m.where)).toEqual([]);
  });

  it("gives every optional arg a @default", () => {
    expect(members.filter((m) => m.optional && !m.hasDefault).map((m) => m.where)).toEqual([]);
  });
});
