/**
 * Writes policies/constraints/instanceTypes.json: every EC2 instance type name, from the `_InstanceType` list that
 * the AWS SDK's EC2 client generates from the EC2 API model (`@aws-sdk/client-ec2`, a dev dependency: only this
 * script reads it; the plan reads the small JSON file instead of loading the whole client).
 *
 * Run by a person after upgrading the client: `npm run instance-types`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { _InstanceType } from "@aws-sdk/client-ec2";
import { version } from "@aws-sdk/client-ec2/package.json";

const out = path.join(__dirname, "..", "policies", "constraints", "instanceTypes.json");
const types = [...new Set(Object.values(_InstanceType))].sort();
fs.writeFileSync(out, JSON.stringify({ source: `@aws-sdk/client-ec2 ${version} (_InstanceType)`, types }, null, 2) + "\n");
console.log(`${types.length} instance types written to ${path.relative(process.cwd(), out)}`);
