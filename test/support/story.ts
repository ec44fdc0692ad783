/**
 * A story whose steps build on each other (booking → outcome → approval → amendment, say): its steps
 * run in order inside ONE test, so that running tests in random order (`jest --randomize`) cannot
 * split them or run one before what it needs. A failure names the step it happened in.
 *
 *   const step = story('a meeting from booking to approved minutes');
 *   step('the chair records attendance', async () => { ... });
 *   step('the chair approves the minutes', async () => { ... });
 */
export function story(name: string, timeoutMs = 300_000): (stepName: string, run: () => void | Promise<void>) => void {
  const steps: Array<[string, () => void | Promise<void>]> = [];
  it(
    name,
    async () => {
      expect(steps.length).toBeGreaterThan(0);
      for (const [stepName, run] of steps) {
        try {
          await run();
        } catch (error) {
          if (error instanceof Error) error.message = `step “${stepName}”: ${error.message}`;
          throw error;
        }
      }
    },
    timeoutMs,
  );
  return (stepName, run) => {
    steps.push([stepName, run]);
  };
}
