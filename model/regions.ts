/**
 * Facts about AWS regions that the offline plan needs to answer data-source calls realistically.
 * Availability zones are the ones every account sees by default; load balancer hosted zones and Elastic Load
 * Balancing account ids are from the AWS documentation ("Elastic Load Balancing endpoints and quotas" and
 * "Enable access logs for your Application Load Balancer").
 */
export interface RegionFacts {
  zoneSuffixes: string;
  albHostedZoneId: string;
  elbAccountId: string;
}

export const REGIONS: Readonly<Record<string, RegionFacts>> = {
  "us-east-1": { zoneSuffixes: "abcdef", albHostedZoneId: "Z35SXDOTRQ7X7K", elbAccountId: "127311923021" },
  "us-east-2": { zoneSuffixes: "abc", albHostedZoneId: "Z3AADJGX6KTTL2", elbAccountId: "033677994240" },
  "us-west-1": { zoneSuffixes: "ac", albHostedZoneId: "Z368ELLRRE2KJ0", elbAccountId: "027434742980" },
  "us-west-2": { zoneSuffixes: "abcd", albHostedZoneId: "Z1H1FL5HABSF5", elbAccountId: "797873946194" },
  "ca-central-1": { zoneSuffixes: "abd", albHostedZoneId: "ZQSVJUPU6J1EY", elbAccountId: "985666609251" },
  "eu-west-1": { zoneSuffixes: "abc", albHostedZoneId: "Z32O12XQLNTSW2", elbAccountId: "156460612806" },
  "eu-west-2": { zoneSuffixes: "abc", albHostedZoneId: "ZHURV8PSTC4K8", elbAccountId: "652711504416" },
  "eu-west-3": { zoneSuffixes: "abc", albHostedZoneId: "Z3Q77PNBQS71R4", elbAccountId: "009996457667" },
  "eu-central-1": { zoneSuffixes: "abc", albHostedZoneId: "Z215JYRZR1TBD5", elbAccountId: "054676820928" },
  "eu-north-1": { zoneSuffixes: "abc", albHostedZoneId: "Z23TAZ7KKHPF7U", elbAccountId: "897822967062" },
  "ap-northeast-1": { zoneSuffixes: "acd", albHostedZoneId: "Z14GRHDCWA56QT", elbAccountId: "582318560864" },
  "ap-southeast-1": { zoneSuffixes: "abc", albHostedZoneId: "Z1LMS91P8CMLE5", elbAccountId: "114774131450" },
  "ap-southeast-2": { zoneSuffixes: "abc", albHostedZoneId: "Z1GM3OXH4ZPM65", elbAccountId: "783225319266" },
  "ap-south-1": { zoneSuffixes: "abc", albHostedZoneId: "ZP97RAFLXTNZK", elbAccountId: "718504428378" },
  "sa-east-1": { zoneSuffixes: "abc", albHostedZoneId: "Z2P70J7HTTTPLU", elbAccountId: "507241528517" },
};

export function regionFacts(region: string): RegionFacts {
  const facts = REGIONS[region];
  if (!facts) {
    throw new Error(
      `the offline plan has no data for region "${region}"; use one of ${Object.keys(REGIONS).join(", ")} ` +
        `or add it to model/regions.ts`,
    );
  }
  return facts;
}

export function availabilityZoneNames(region: string): string[] {
  return [...regionFacts(region).zoneSuffixes].map((suffix) => `${region}${suffix}`);
}
