/** pg-boss 10 ships no types for its SQL plans; these two are read to recognise its fire-and-forget writes. */
declare module 'pg-boss/src/plans.js' {
  const plans: {
    completeJobs(schema: string): string;
    failJobsById(schema: string): string;
  };
  export default plans;
}
