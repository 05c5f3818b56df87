/**
 * The required args a component was given no value for. TypeScript refuses such a call, but a JavaScript program,
 * a value typed `any` or a config object read at run time reaches the constructor anyway: without this check the
 * first use of the missing arg fails far away (`Cannot read properties of undefined`) and names nothing.
 */
export function missingArgs<T extends object>(args: T | undefined, required: ReadonlyArray<keyof T & string>): string[] {
  if (args === undefined || args === null) return [`No args were given; it needs ${required.map((k) => `\`${k}\``).join(", ")}.`];
  return required.filter((key) => args[key] === undefined || args[key] === null).map((key) => `The required arg \`${key}\` is missing.`);
}

/** Required args of each component, checked first (exported for the test that keeps them in step with the types). */
export const REQUIRED_ARGS = {
  Network: ["cidr", "availabilityZones"],
  SiteToSiteVpn: ["vpcId", "routeTableIds", "customerGatewayIp", "bgpAsn"],
  LoadBalancer: ["vpcId", "subnetIds", "certificateArn", "testListenerCidrs"],
  ContainerService: ["serviceName", "color", "release", "clusterArn", "vpcId", "subnetIds", "targetGroupArn", "loadBalancerSecurityGroupId", "port"],
  ImmutableInstanceGroup: ["serviceName", "color", "release", "vpcId", "subnetIds", "targetGroupArn", "loadBalancerSecurityGroupId", "port"],
  BlueGreenService: ["serviceName", "vpcId", "subnetIds", "productionListenerArn", "testListenerArn", "loadBalancerSecurityGroupId", "port", "routing", "release", "compute"],
  ContainerCluster: ["vpcId", "namespaceName"],
  Database: ["vpcId", "subnetIds"],
  ImageRepository: ["repositoryName"],
} as const;
