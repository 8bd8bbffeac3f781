import type { RotationWeight } from '../db/schema/rotation.ts';
import { type ArmKind, LANDING_PAGE_GROUP } from './rotation-arms.ts';
import type { RotationMode } from './rotation-settings.ts';

export type Arm = {
  kind: ArmKind;
  id: number;
  name: string;
  group: string;
  /** The advertiser's weight for a landing page; creatives have none, so they share equally. */
  manualWeight: number;
  /** The bandit's, when it has learned one for this arm in this group. */
  learnedWeight: number | null;
  /** What the edge is given now. */
  weightInForce: number;
};

export type ArmGroup = { kind: ArmKind; group: string; arms: Arm[] };

/**
 * The rotation groups of an offer, each arm with the weight in force: the learned weights while
 * the offer is in bandit mode and the bandit has learned a weight for every arm of the group;
 * otherwise the advertiser's (a page added since the bandit last ran would have nothing to go
 * by, so its group keeps the manual weights until the next run covers it).
 */
export function rotationGroups(input: {
  mode: RotationMode;
  landingPages: readonly { id: number; name: string; weight: number }[];
  creatives: readonly { id: number; name: string; size: string }[];
  learned: readonly Pick<RotationWeight, 'armKind' | 'armId' | 'group' | 'weight'>[];
}): ArmGroup[] {
  const learned = new Map(input.learned.map((w) => [`${w.armKind}:${w.armId}:${w.group}`, w.weight]));
  const group = (
    kind: ArmKind,
    name: string,
    members: readonly { id: number; name: string; manualWeight: number }[],
  ): ArmGroup => {
    const arms = members.map((m) => ({
      kind,
      id: m.id,
      name: m.name,
      group: name,
      manualWeight: m.manualWeight,
      learnedWeight: learned.get(`${kind}:${m.id}:${name}`) ?? null,
    }));
    const useLearned = input.mode === 'bandit' && arms.every((a) => a.learnedWeight !== null);
    return {
      kind,
      group: name,
      arms: arms.map((a) => ({ ...a, weightInForce: useLearned ? (a.learnedWeight ?? 1) : a.manualWeight })),
    };
  };
  const groups: ArmGroup[] = [];
  if (input.landingPages.length > 0) {
    groups.push(
      group(
        'landing_page',
        LANDING_PAGE_GROUP,
        input.landingPages.map((p) => ({ id: p.id, name: p.name, manualWeight: p.weight })),
      ),
    );
  }
  const sizes = [...new Set(input.creatives.map((c) => c.size))].sort(bySize);
  for (const size of sizes) {
    const members = input.creatives
      .filter((c) => c.size === size)
      .map((c) => ({ id: c.id, name: c.name, manualWeight: 1 }));
    groups.push(group('creative', size, members));
  }
  return groups;
}

/** Sizes in a stable, readable order: by width, then height (160x600 before 300x250 before 728x90). */
function bySize(a: string, b: string): number {
  const [aw = 0, ah = 0] = a.split('x').map(Number);
  const [bw = 0, bh = 0] = b.split('x').map(Number);
  return aw - bw || ah - bh;
}
