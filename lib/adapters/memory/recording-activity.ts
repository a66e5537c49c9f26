import type {
  ActivityReporter,
  SupportActivity,
  SupportActivityKind,
} from '../../application/ports/support-activity.ts';

/** Keeps every activity reported, in order: what the use-case specs and the bench look at. */
export class RecordingActivity implements ActivityReporter {
  readonly reported: SupportActivity[] = [];

  report(activity: SupportActivity): void {
    this.reported.push(activity);
  }

  /** How many of one kind were reported. */
  count(kind: SupportActivityKind): number {
    return this.reported.filter((activity) => activity.kind === kind).length;
  }

  /** Forgets what was reported (between a spec's arrange and act). */
  clear(): void {
    this.reported.length = 0;
  }
}
