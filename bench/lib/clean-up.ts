// What a benchmark started (database, server, temporary folders), undone newest first: at the end
// of the run, or on Ctrl-C, after which the process exits with 130.
export class CleanUp {
  private readonly steps: (() => Promise<unknown>)[] = [];
  /** Ctrl-C was pressed: the run should stop starting things. */
  stopping = false;

  constructor(private readonly log: (line: string) => void) {
    process.once("SIGINT", () => {
      this.stopping = true;
      log("Interrupted: cleaning up…");
      void this.run().then(() => process.exit(130));
    });
  }

  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    while (this.steps.length) await this.steps.pop()!().catch((error: unknown) => this.log(`cleanup: ${(error as Error).message}`));
  }
}
