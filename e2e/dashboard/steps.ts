import { it } from 'vitest';

/**
 * Steps of one story, run in order: once a step fails, the later ones are skipped with its name
 * rather than failing for want of what it should have made.
 */
export function storySteps() {
  let failed: string | null = null;
  return (name: string, run: () => Promise<void>, timeoutMs?: number) =>
    it(
      name,
      async (context) => {
        if (failed) context.skip(`an earlier step failed: ${failed}`);
        try {
          await run();
        } catch (error) {
          failed = name;
          throw error;
        }
      },
      timeoutMs,
    );
}
