/**
 * Values AWS (or Flipstack's release model) accepts, written once: the components' validators and the stack config
 * schema (stacks/configSchema.ts) both test these, so a value one accepts the other cannot refuse.
 */

/** A release id: a version or commit SHA, part of logical names and tags. */
export const RELEASE_ID = /^[\w][\w.+-]{0,63}$/;

/** An AMI id: `ami-` and 8 or 17 lower-case hex digits. */
export const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** An EC2 instance type, `<family>.<size>`: `t3.small`, `m7i-flex.large`, `c7i.metal-24xl`. */
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+(-[a-z0-9]+)*$/;

/** A container image pinned by tag (`repo:<tag>`) or digest (`repo@sha256:<digest>`); see also {@link isLatestTag}. */
export const PINNED_IMAGE = /^[a-z0-9][\w.:/-]*(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/;

/** `latest` moves, so it pins nothing. */
export const isLatestTag = (image: string): boolean => /:latest$/.test(image);

/** The ARN of an SSM parameter or a Secrets Manager secret: a secret by reference, never its value. */
export const SECRET_ARN = /^arn:aws[\w-]*:(ssm:[a-z0-9-]+:\d{12}:parameter\/|secretsmanager:[a-z0-9-]+:\d{12}:secret:)\S+$/;

/** A PostgreSQL version RDS runs: a major (13 or later), or major.minor. */
export const POSTGRES_VERSION = /^(1[3-9])(\.\d+)?$/;

/** An RDS instance class, `db.<family>.<size>`: `db.t4g.micro`, `db.m7g.large`. */
export const DB_INSTANCE_CLASS = /^db\.[a-z0-9-]+\.[a-z0-9]+$/;

/** A PostgreSQL database name RDS creates: a letter, then letters, digits and `_` (63 at most). */
export const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** An RDS master user name: a letter, then letters, digits and `_` (16 at most). */
export const DB_USERNAME = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;

/** A POSIX environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** TCP ports. */
export const PORT = { min: 1, max: 65535 } as const;

/** A whole number from `min` to `max`. */
export const isWhole = (value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean => Number.isInteger(value) && value >= min && value <= max;

export const isPort = (value: number): boolean => isWhole(value, PORT.min, PORT.max);
