import type { TargetFlags } from '../../runner/start-target.js';
import type { TargetKind } from '../../targets/registry.js';
import type { Rates, RoomSize } from './workload.js';

/** What a bench is asked to do: the CLI's flags parsed (harness/cli/bench-args.ts). */
export interface BenchOptions {
  /** The target part, as `run` parses it (harness/cli/bench-args.ts hands its flags to `run`'s parser). */
  target: TargetFlags & { targets: TargetKind[] };
  users: number[];
  roomSizes: RoomSize[];
  roomSizesText: string;
  stepSeconds: number;
  rates: Rates;
  maxRequests: number;
  maxSeconds: number;
  seed: number;
  reportDir: string;
  oneAtATime: boolean;
  keepUsers: boolean;
  skipBaseline: boolean;
  help: boolean;
}
