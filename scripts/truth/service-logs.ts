/**
 * The services' log lines, kept for the report: the edge and the control plane log JSON with a
 * `msg` (e.g. "click events not queued", "ingest failed, retrying"), which are tallied; the last
 * lines of each service are kept for a failure's diagnosis.
 */
export class ServiceLogs {
  readonly tally = new Map<string, number>();
  private readonly recent = new Map<string, string[]>();

  constructor(private readonly echo: boolean) {}

  readonly line = (service: string, line: string) => {
    if (this.echo) process.stderr.write(`[${service}] ${line}\n`);
    const msg = /"msg":"([^"]{1,120})"/.exec(line)?.[1];
    if (msg) {
      const key = `${service}: ${msg}`;
      this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
    }
    const lines = this.recent.get(service) ?? [];
    lines.push(line.length > 500 ? `${line.slice(0, 500)}...` : line);
    if (lines.length > 200) lines.shift();
    this.recent.set(service, lines);
  };

  last(service: string, count: number): string[] {
    return (this.recent.get(service) ?? []).slice(-count);
  }
}
