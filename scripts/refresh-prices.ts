/**
 * Refreshes cli/cost/prices.json from AWS's public price list files (the Price List bulk API: no credentials).
 *
 * Run by a person, never in tests or CI (it downloads several GB):
 *   npm run refresh-prices                      # every region the offline plan supports (model/regions.ts)
 *   npm run refresh-prices -- --regions eu-west-1,us-east-1
 *
 * For each service it reads the region index (`/offers/v1.0/aws/<service>/current/region_index.json`), then each
 * region's price list as CSV, streamed line by line (the EC2 files are too large to parse as one JSON document):
 * five metadata rows, a header row, then one row per price dimension with the product's attributes. A price is
 * the on-demand row whose usage type ends in the item's meter — usage types carry a region prefix (`EU-`, `USW2-`)
 * except in us-east-1 — and that matches the item's attribute filters; of tiered prices the first tier is taken.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { Readable } from "node:stream";
import { priceTableSchema, type PriceTable } from "../cli/cost/priceTable";
import { REGIONS } from "../model/regions";

const ENDPOINT = "https://pricing.us-east-1.amazonaws.com";
const TABLE_FILE = path.join(__dirname, "..", "cli", "cost", "prices.json");

interface Meter {
  service: string;
  /** Usage type without its region prefix. */
  usage: string;
  /** Further CSV columns that must match (column name → value). */
  where?: Record<string, string>;
}

/** Where each price table item is read from. EC2 and RDS instance items are derived from their keys below. */
const METERS: Record<string, Meter> = {
  "natGateway.hour": { service: "AmazonEC2", usage: "NatGateway-Hours" },
  "natGateway.gb": { service: "AmazonEC2", usage: "NatGateway-Bytes" },
  "publicIpv4.hour": { service: "AmazonVPC", usage: "PublicIPv4:InUseAddress" },
  "interfaceEndpoint.hour": { service: "AmazonVPC", usage: "VpcEndpoint-Hours" },
  "interfaceEndpoint.gb": { service: "AmazonVPC", usage: "VpcEndpoint-Bytes" },
  "vpnConnection.hour": { service: "AmazonVPC", usage: "VPN-Usage-Hours:ipsec.1" },
  "alb.hour": { service: "AWSELB", usage: "LoadBalancerUsage", where: { "Product Family": "Load Balancer-Application" } },
  "alb.lcuHour": { service: "AWSELB", usage: "LCUUsage", where: { "Product Family": "Load Balancer-Application" } },
  "nlb.hour": { service: "AWSELB", usage: "LoadBalancerUsage", where: { "Product Family": "Load Balancer-Network" } },
  "nlb.nlcuHour": { service: "AWSELB", usage: "LCUUsage", where: { "Product Family": "Load Balancer-Network" } },
  "fargate.x86.vcpuHour": { service: "AmazonECS", usage: "Fargate-vCPU-Hours:perCPU" },
  "fargate.x86.gbHour": { service: "AmazonECS", usage: "Fargate-GB-Hours" },
  "fargate.arm.vcpuHour": { service: "AmazonECS", usage: "Fargate-ARM-vCPU-Hours:perCPU" },
  "fargate.arm.gbHour": { service: "AmazonECS", usage: "Fargate-ARM-GB-Hours" },
  "fargate.storageGbHour": { service: "AmazonECS", usage: "Fargate-EphemeralStorage-GB-Hours" },
  "ebs.gp3.gbMonth": { service: "AmazonEC2", usage: "EBS:VolumeUsage.gp3" },
  "ebs.gp2.gbMonth": { service: "AmazonEC2", usage: "EBS:VolumeUsage.gp2" },
  "cloudwatch.alarm": { service: "AmazonCloudWatch", usage: "CW:AlarmMonitorUsage" },
  "cloudwatch.highResolutionAlarm": { service: "AmazonCloudWatch", usage: "CW:HighResAlarmMonitorUsage" },
  "cloudwatch.metricMonth": { service: "AmazonCloudWatch", usage: "CW:MetricMonitorUsage" },
  "logs.ingestGb": { service: "AmazonCloudWatch", usage: "DataProcessing-Bytes" },
  "logs.vendedIngestGb": { service: "AmazonCloudWatch", usage: "VendedLog-Bytes" },
  "logs.storageGbMonth": { service: "AmazonCloudWatch", usage: "TimedStorage-ByteHrs" },
  "s3.standard.gbMonth": { service: "AmazonS3", usage: "TimedStorage-ByteHrs", where: { "Volume Type": "Standard" } },
  "route53.hostedZoneMonth": { service: "AmazonRoute53", usage: "HostedZone" },
  "rds.gp3.gbMonth": { service: "AmazonRDS", usage: "RDS:GP3-Storage" },
};

const RDS_ENGINES: Record<string, string> = { postgres: "PostgreSQL", mysql: "MySQL" };

export function meterFor(key: string): Meter | undefined {
  const ec2 = /^ec2\.(.+)\.hour$/.exec(key);
  if (ec2) {
    return {
      service: "AmazonEC2",
      usage: `BoxUsage:${ec2[1]}`,
      where: { "Instance Type": ec2[1], "Operating System": "Linux", Tenancy: "Shared", "Pre Installed S/W": "NA", CapacityStatus: "Used", "License Model": "No License required" },
    };
  }
  const rds = /^rds\.(\w+)\.(db\..+)\.hour$/.exec(key);
  if (rds) return { service: "AmazonRDS", usage: `InstanceUsage:${rds[2]}`, where: { "Database Engine": RDS_ENGINES[rds[1]], "Deployment Option": "Single-AZ" } };
  return METERS[key];
}

export const usageMatches = (usage: string, meter: string) => usage === meter || usage.endsWith(`-${meter}`);

/** One CSV line of the price list (every field quoted, `""` for a quote inside a field). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === "," && !quoted) {
      fields.push(field);
      field = "";
    } else {
      field += ch;
    }
  }
  return [...fields, field];
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** The first-tier on-demand USD price of each wanted item in one service's price list for one region. */
async function readRegion(service: string, region: string, wanted: Array<[string, Meter]>): Promise<Map<string, number>> {
  const index = await getJson<{ regions: Record<string, { currentVersionUrl: string }> }>(`${ENDPOINT}/offers/v1.0/aws/${service}/current/region_index.json`);
  // Route 53 prices are global: its index lists them under "global".
  const entry = index.regions[region] ?? index.regions.global;
  const found = new Map<string, number>();
  if (!entry) return found;
  const response = await fetch(`${ENDPOINT}${entry.currentVersionUrl.replace(/\.json$/, ".csv")}`);
  if (!response.ok || !response.body) throw new Error(`${service} ${region}: HTTP ${response.status}`);
  const lines = readline.createInterface({ input: Readable.fromWeb(response.body as never), crlfDelay: Infinity });
  let header: string[] | undefined;
  let row = 0;
  for await (const line of lines) {
    if (++row <= 5) continue; // metadata: format version, disclaimer, publication date, version, offer code
    const fields = csvFields(line);
    if (!header) {
      header = fields;
      continue;
    }
    const get = (column: string) => fields[header!.indexOf(column)];
    if (get("TermType") !== "OnDemand" || get("Currency") !== "USD" || Number(get("StartingRange") || 0) !== 0) continue;
    for (const [key, meter] of wanted) {
      if (found.has(key) || !usageMatches(get("usageType"), meter.usage)) continue;
      if (Object.entries(meter.where ?? {}).every(([column, value]) => get(column) === value)) found.set(key, Number(get("PricePerUnit")));
    }
  }
  return found;
}

async function main(): Promise<void> {
  if (process.env.CI) throw new Error("refresh-prices downloads AWS's price lists and is run by a person, not in CI");
  const flag = process.argv.indexOf("--regions");
  const regions = flag > 0 ? process.argv[flag + 1].split(",") : Object.keys(REGIONS);
  const table: PriceTable = priceTableSchema.parse(JSON.parse(fs.readFileSync(TABLE_FILE, "utf8")));
  const today = new Date().toISOString().slice(0, 10);
  const byService = new Map<string, Array<[string, Meter]>>();
  for (const key of Object.keys(table.items)) {
    const meter = meterFor(key);
    if (!meter) throw new Error(`${key}: no price list meter for this item; add it to METERS in scripts/refresh-prices.ts`);
    byService.set(meter.service, [...(byService.get(meter.service) ?? []), [key, meter]]);
  }
  for (const region of regions) {
    for (const [service, wanted] of byService) {
      process.stdout.write(`${region} ${service} ...`);
      const found = await readRegion(service, region, wanted);
      for (const [key] of wanted) {
        const usd = found.get(key);
        if (usd === undefined) delete table.items[key].prices[region];
        else Object.assign(table.items[key], { date: today, prices: { ...table.items[key].prices, [region]: usd } });
      }
      process.stdout.write(` ${found.size}/${wanted.length} prices\n`);
    }
  }
  table.date = today;
  table.about = "On-demand list prices read from the AWS Price List bulk files by `npm run refresh-prices`; each item names the AWS pricing page that shows the same figures.";
  fs.writeFileSync(TABLE_FILE, JSON.stringify(table, null, 1) + "\n");
  process.stdout.write(`wrote ${path.relative(process.cwd(), TABLE_FILE)}: review the diff before committing it\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`refresh-prices: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
