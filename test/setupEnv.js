// Plans in tests skip the type check `flipstack plan` runs by default: `npm test` type-checks the whole repository
// first, and a cold check of a stack takes longer than a test may. Tests of the check itself turn it on explicitly.
process.env.FLIPSTACK_NO_TYPECHECK = "1";
