// The CLI's exit codes and errors live in cli/errors.ts; this path stays for existing imports.
export { UsageError } from "./errors";
