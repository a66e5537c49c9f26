/** What mailparser calls on a linkify-it instance. */
export interface Linkifier {
  tlds(list: string | readonly string[], keepOld?: boolean): Linkifier;
  add(schema: string, definition: unknown): Linkifier;
  set(options: Record<string, boolean>): Linkifier;
  pretest(text: string): boolean;
  test(text: string): boolean;
  match(text: string): unknown[] | null;
}
export default function linkifyOnFirstUse(...options: unknown[]): Linkifier;
