import type { SpecDocument } from './document.ts';
import { UnchangedIndex } from './unchanged.ts';
import { RULES, SEVERITY_ORDER, type RuleId, type Severity } from './rules.ts';

/** The operation or webhook a comparison is made for; a change inside a shared component lists every one. */
export interface Usage {
  label: string;
  /** `x-starship-planned: true` in the base: the spec says a planned operation's shape may change before release. */
  planned: boolean;
}

/** A change as DESIGN.md's diff report carries it. */
export interface Change {
  rule: RuleId;
  severity: Severity;
  location: string;
  message: string;
  clause: string;
}

/** A change plus where to point in the revision (the nearest node that exists there) for file:line output. */
export interface LocatedChange extends Change {
  anchor: string;
}

export interface Finding {
  location: string;
  anchor: string;
  message: string;
}

interface Recorded extends Finding {
  rule: RuleId;
  affects: Map<string, Usage>;
}

const AFFECTS_SHOWN = 4;
const PLANNED_NOTE = ' (only in planned operations: x-starship-planned shapes may change before release)';

export class DiffContext {
  readonly #recorded = new Map<string, Recorded>();
  readonly #memo = new Map<string, Recorded[] | 'pending'>();
  readonly #collectors: Array<Set<Recorded>> = [];

  readonly unchanged: UnchangedIndex;

  constructor(
    readonly base: SpecDocument,
    readonly revision: SpecDocument,
  ) {
    this.unchanged = new UnchangedIndex(base, revision);
  }

  /** Records a change once per (rule, location); reaching it again from another operation adds that usage. */
  report(rule: RuleId, usage: Usage | undefined, finding: Finding): void {
    const key = `${rule}\u0000${finding.location}`;
    let recorded = this.#recorded.get(key);
    if (recorded === undefined) {
      recorded = { ...finding, rule, affects: new Map() };
      this.#recorded.set(key, recorded);
    }
    this.#credit(recorded, usage);
  }

  /**
   * True when `key` was compared before: its changes are credited to `usage` and the caller stops. Otherwise the
   * caller compares, between this call and `leave(key)`, and what it reports is remembered under `key`. Keys name
   * a pair of component pointers (plus direction), so a 5 MB spec that references one schema from a thousand
   * operations compares it once, and cycles terminate.
   */
  enter(key: string, usage: Usage | undefined): boolean {
    const known = this.#memo.get(key);
    if (known === 'pending') return true;
    if (known !== undefined) {
      for (const recorded of known) this.#credit(recorded, usage);
      return true;
    }
    this.#memo.set(key, 'pending');
    this.#collectors.push(new Set());
    return false;
  }

  leave(key: string): void {
    this.#memo.set(key, [...this.#collectors.pop()!]);
  }

  #credit(recorded: Recorded, usage: Usage | undefined): void {
    if (usage !== undefined) recorded.affects.set(usage.label, usage);
    for (const collector of this.#collectors) collector.add(recorded);
  }

  changes(): LocatedChange[] {
    return [...this.#recorded.values()].map(finalize).sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.location.localeCompare(b.location) || a.rule.localeCompare(b.rule),
    );
  }
}

function finalize(recorded: Recorded): LocatedChange {
  const definition = RULES[recorded.rule];
  const usages = [...recorded.affects.values()];
  const onlyPlanned = usages.length > 0 && usages.every((usage) => usage.planned);
  let message = recorded.message;
  // Inside a shared component (or a root-level setting) the location alone does not say which operations a
  // partner must look at.
  if (usages.length > 1 || (recorded.location.startsWith('#/components/') && usages.length > 0)) {
    const labels = usages.map((usage) => usage.label).sort();
    const shown = labels.slice(0, AFFECTS_SHOWN).join(', ');
    message += ` (used by ${shown}${labels.length > AFFECTS_SHOWN ? ` and ${labels.length - AFFECTS_SHOWN} more` : ''})`;
  }
  let severity: Severity = definition.severity;
  if (onlyPlanned && severity === 'breaking') {
    severity = 'warning';
    message += PLANNED_NOTE;
  }
  return { rule: recorded.rule, severity, location: recorded.location, message, clause: definition.clause, anchor: recorded.anchor };
}
