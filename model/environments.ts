/**
 * The environment kinds a stack can be, and what each gets when its config says nothing. Shared by the stacks
 * (which resolve config with them) and the policy pack (which decides from them, never from environment names).
 */
export const ENVIRONMENTS = ["production", "staging", "preview"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * What each environment gets when its stack config says nothing. Production buys availability (three zones, a NAT
 * gateway per zone, protected stateful resources); staging keeps the same shape at the lowest cost that still
 * exercises it; previews borrow staging's network and run the smallest compute.
 */
export interface EnvironmentDefaults {
  availabilityZones: number;
  nat: "none" | "single" | "perAz";
  logRetentionDays: number;
  /** `protect` on resources whose replacement is an outage or data loss (VPC, VPN, archive, logs). */
  protect: boolean;
  deletionProtection: boolean;
  accessLogRetentionDays: number;
  capacity: { min: number; desired: number; max: number };
  fargate: { cpu: number; memory: number };
  /** The database when the config asks for one: instance class, a standby in a second zone, days of backups. */
  database: { instanceClass: string; multiAz: boolean; backupRetentionDays: number };
}

export const ENVIRONMENT_DEFAULTS: Readonly<Record<Environment, EnvironmentDefaults>> = {
  production: {
    availabilityZones: 3,
    nat: "perAz",
    logRetentionDays: 365,
    protect: true,
    deletionProtection: true,
    accessLogRetentionDays: 365,
    capacity: { min: 2, desired: 3, max: 6 },
    fargate: { cpu: 512, memory: 1024 },
    database: { instanceClass: "db.t4g.medium", multiAz: true, backupRetentionDays: 30 },
  },
  staging: {
    availabilityZones: 2,
    nat: "single",
    logRetentionDays: 30,
    protect: false,
    deletionProtection: false,
    accessLogRetentionDays: 30,
    capacity: { min: 1, desired: 2, max: 3 },
    fargate: { cpu: 256, memory: 512 },
    database: { instanceClass: "db.t4g.micro", multiAz: false, backupRetentionDays: 7 },
  },
  preview: {
    availabilityZones: 2,
    nat: "single",
    logRetentionDays: 7,
    protect: false,
    deletionProtection: false,
    accessLogRetentionDays: 7,
    capacity: { min: 1, desired: 1, max: 1 },
    fargate: { cpu: 256, memory: 512 },
    // Previews never create a database: they use staging's.
    database: { instanceClass: "db.t4g.micro", multiAz: false, backupRetentionDays: 7 },
  },
};
