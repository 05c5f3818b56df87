import { loadPriceTable } from "../../cli/cost/priceTable";
import { csvFields, meterFor, usageMatches } from "../../scripts/refresh-prices";

// The script itself downloads AWS's price lists and never runs here; these are the parts that read them.
describe("refresh-prices", () => {
  it("splits a price list CSV row with quoted fields", () => {
    expect(csvFields('"JRTCKXETXF","OnDemand","$0.048 per NAT Gateway Hour","0","Inf","Hrs","0.0480000000","USD","EU-NatGateway-Hours"')).toEqual([
      "JRTCKXETXF", "OnDemand", "$0.048 per NAT Gateway Hour", "0", "Inf", "Hrs", "0.0480000000", "USD", "EU-NatGateway-Hours",
    ]);
    expect(csvFields('"a ""quoted"" word","x,y",""')).toEqual(['a "quoted" word', "x,y", ""]);
  });

  it("matches usage types with or without their region prefix, and only whole meters", () => {
    expect(usageMatches("NatGateway-Hours", "NatGateway-Hours")).toBe(true);
    expect(usageMatches("EU-NatGateway-Hours", "NatGateway-Hours")).toBe(true);
    expect(usageMatches("EU-VPN-Usage-Hours:ipsec.1", "VPN-Usage-Hours:ipsec.1")).toBe(true);
    expect(usageMatches("EU-RegionalNatGateway-Hours", "NatGateway-Hours")).toBe(false);
  });

  it("knows where to read every item of the shipped table", () => {
    const missing = Object.keys(loadPriceTable().items).filter((key) => !meterFor(key));
    expect(missing).toEqual([]);
    expect(meterFor("ec2.t3.medium.hour")).toMatchObject({ service: "AmazonEC2", usage: "BoxUsage:t3.medium", where: { "Operating System": "Linux", Tenancy: "Shared" } });
  });
});
