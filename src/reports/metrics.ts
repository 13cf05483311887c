/**
 * In-process counters exposed in the Prometheus text format. Labels are codes (purpose
 * ids, operations, reason codes) — never subject ids or values.
 */

type Labels = Record<string, string>;

export class Counter {
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key} ${value}`);
    return lines.join('\n');
  }
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${labels[k].replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}

/** A gauge read at scrape time (e.g. jobs by state), in the Prometheus text format. */
export function renderGauge(name: string, help: string, values: readonly { labels: Labels; value: number }[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  for (const { labels, value } of values) lines.push(`${name}${labelKey(labels)} ${value}`);
  return `${lines.join('\n')}\n`;
}

export class Metrics {
  readonly decisions = new Counter('custodian_decisions_total', 'Purpose-gate decisions by purpose, operation and outcome');
  readonly denials = new Counter('custodian_decision_denials_total', 'Deny reasons given by the purpose gate');

  render(): string {
    return `${[this.decisions, this.denials].map((c) => c.render()).join('\n')}\n`;
  }
}
