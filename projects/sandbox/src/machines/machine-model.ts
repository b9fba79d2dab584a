// The sandbox's machines: it answers the machine steps the hosts layer's executor sends (install,
// rebuild, probes, etcd commands, kubeconfig) by changing the modelled state of each machine, and
// obeys the rules that matter: an off server does not answer, a node joins only a cluster with
// quorum, removing a member that would break quorum fails, a powered-off control-plane node drops
// out of quorum. Every step is appended to the journal. See the sandbox README for the schema.
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomically } from '../world/persistence';
import { FaultInjector, noFaults, type FaultConfig } from '../faults';
import { clusterView, type ClusterView } from './cluster-view';
import { DEFAULT_MACHINE_DURATIONS, type MachineDurations } from './machine-durations';
import { MachineJournal, type JournalEntry } from './machine-journal';
import { HOSTS_STEPS, StepArgumentError, StepFailure, type StepHandler } from './machine-steps';
import { OXYGEN_STEPS } from './oxygen-steps';
import { emptyMachineWorld, MACHINE_WORLD_FORMAT, type MachineRecord, type MachineWorld } from './machine-world';

export interface MachineStepRequest {
  step: string;
  /** The node's name. */
  node: string;
  /** The Hetzner server it runs on; null for a machine outside Hetzner. */
  serverId: number | null;
  /** The step's exact arguments, as the real tool would get them; journaled as given. */
  args: Record<string, unknown>;
}

export interface MachineStepAnswer {
  step: string;
  node: string;
  outcome: JournalEntry['outcome'];
  message?: string;
  result?: unknown;
  /** By the sandbox's clock, ms since the epoch: the caller waits until `finishesAt`. */
  startedAt: number;
  finishesAt: number;
  cluster: ClusterView;
}

export interface MachineModelOptions {
  /** Where machines.json and journal.jsonl live; null keeps both in memory. */
  dir: string | null;
  clock: () => number;
  durations?: MachineDurations;
  faults?: FaultConfig;
  /** A Hetzner server's settled power state by id, from the API's world; `absent` once deleted. */
  serverPower: (id: number) => 'running' | 'off' | 'absent';
}

export class MachineModel {
  private world: MachineWorld;
  private readonly steps = new Map<string, StepHandler>(Object.entries({ ...HOSTS_STEPS, ...OXYGEN_STEPS }));
  private faults: FaultInjector;
  readonly journal: MachineJournal;
  private readonly file: string | null;
  private durations: MachineDurations;

  constructor(private readonly options: MachineModelOptions) {
    this.file = options.dir ? join(options.dir, 'machines.json') : null;
    this.world = this.load();
    this.journal = new MachineJournal(options.dir);
    this.faults = new FaultInjector(options.faults ?? noFaults());
    this.durations = options.durations ?? DEFAULT_MACHINE_DURATIONS;
  }

  /** Adds a later layer's steps (the builder's podman on Oxygen, k8s-apps' Flux); a name may be taken once. */
  addSteps(steps: Record<string, StepHandler>): void {
    for (const [name, handler] of Object.entries(steps)) {
      if (this.steps.has(name)) throw new Error(`the machine step "${name}" exists already`);
      this.steps.set(name, handler);
    }
  }

  setFaults(config: FaultConfig): void {
    this.faults = new FaultInjector(config);
  }

  setDurations(durations: MachineDurations): void {
    this.durations = durations;
  }

  /** A machine outside Hetzner (Oxygen): on unless set off here. */
  registerExternalMachine(name: string, address: string, power: 'on' | 'off' = 'on'): void {
    const existing = this.world.machines[name];
    this.world.machines[name] = existing
      ? { ...existing, serverId: null, address, power }
      : newMachine(name, null, address, power);
    this.save();
  }

  /** The state and the cluster as they stand now. */
  snapshot(): { machines: MachineWorld; cluster: ClusterView } {
    return { machines: structuredClone(this.world), cluster: this.view(this.options.clock()) };
  }

  /** A later layer's state in the machine world (`extensions[owner]`), as last stored. */
  extension<T>(owner: string): T | undefined {
    return structuredClone(this.world.extensions[owner]) as T | undefined;
  }

  /** Stores a later layer's state under `extensions[owner]`, persisted with the machines. */
  setExtension(owner: string, value: unknown): void {
    this.world.extensions[owner] = structuredClone(value);
    this.save();
  }

  reset(): void {
    this.world = emptyMachineWorld();
    this.journal.clear();
    this.save();
  }

  /** Runs one step; a refused or failed step changes nothing and says why. Throws StepArgumentError for a malformed request. */
  run(request: MachineStepRequest): MachineStepAnswer {
    const handler = this.steps.get(request.step);
    if (!handler)
      throw new StepArgumentError(
        `there is no machine step "${request.step}"; steps: ${[...this.steps.keys()].join(', ')}`,
      );
    if (!request.node || typeof request.node !== 'string')
      throw new StepArgumentError('a machine step needs "node", the node name');
    const now = this.options.clock();
    const answer = (
      outcome: MachineStepAnswer['outcome'],
      durationMs: number,
      extra: { message?: string; result?: unknown } = {},
    ): MachineStepAnswer => {
      const finishesAt = now + durationMs;
      const cluster = this.view(finishesAt);
      this.journal.append({
        at: new Date(now).toISOString(),
        step: request.step,
        node: request.node,
        args: request.args,
        outcome,
        ...(extra.message ? { message: extra.message } : {}),
        cluster,
      });
      return { step: request.step, node: request.node, outcome, ...extra, startedAt: now, finishesAt, cluster };
    };

    if (!this.answers(request))
      return answer('unreachable', 0, { message: `${request.node} does not answer: ${this.silence(request)}` });
    const draft = structuredClone(this.world);
    const machine = this.machineFor(draft, request);
    if (machine.busy && machine.busy.until > now)
      return answer('failed', 0, {
        message: `${request.node} is busy with ${machine.busy.step} for another ${machine.busy.until - now} ms`,
      });
    try {
      const { durationMs, result } = handler({
        world: draft,
        machine,
        args: request.args ?? {},
        now,
        durations: this.durations,
        fault: (kind) => this.faults.machineFault(kind),
        isOn: (m) => this.isOn(m),
        exists: (m) => m !== undefined && (m.serverId === null || this.options.serverPower(m.serverId) !== 'absent'),
        view: () => clusterView(draft, (m) => this.isOn(m), now),
      });
      machine.busy = durationMs > 0 ? { step: request.step, until: now + durationMs } : null;
      this.world = draft;
      this.save();
      return answer('ok', durationMs, result === undefined ? {} : { result });
    } catch (error) {
      if (error instanceof StepFailure) return answer('failed', 0, { message: error.message });
      throw error;
    }
  }

  private view(at: number): ClusterView {
    return clusterView(this.world, (m) => this.isOn(m), at);
  }

  private answers(request: MachineStepRequest): boolean {
    if (request.serverId !== null && request.serverId !== undefined)
      return this.options.serverPower(request.serverId) === 'running';
    const machine = this.world.machines[request.node];
    return machine !== undefined && machine.power === 'on';
  }

  private silence(request: MachineStepRequest): string {
    if (request.serverId === null || request.serverId === undefined)
      return this.world.machines[request.node] ? 'it is powered off' : 'no such machine is registered';
    return this.options.serverPower(request.serverId) === 'absent'
      ? `server ${request.serverId} does not exist`
      : `server ${request.serverId} is powered off`;
  }

  private isOn(machine: MachineRecord): boolean {
    return machine.serverId !== null
      ? this.options.serverPower(machine.serverId) === 'running'
      : machine.power === 'on';
  }

  /** The node's record; a node on a new server (deleted and created again) starts from a blank disk. */
  private machineFor(world: MachineWorld, request: MachineStepRequest): MachineRecord {
    const address = typeof request.args?.nodeIp === 'string' ? request.args.nodeIp : undefined;
    const existing = world.machines[request.node];
    if (existing && existing.serverId === (request.serverId ?? null)) {
      if (address) existing.address = address;
      return existing;
    }
    const machine = newMachine(request.node, request.serverId ?? null, address ?? existing?.address ?? '', 'on');
    world.machines[request.node] = machine;
    return machine;
  }

  private load(): MachineWorld {
    if (!this.file) return emptyMachineWorld();
    const text = readFileIfExists(this.file);
    if (text === undefined) return emptyMachineWorld();
    const world = JSON.parse(text) as MachineWorld;
    if (world?.format !== MACHINE_WORLD_FORMAT)
      throw new Error(
        `${this.file} is not a machine model of format ${MACHINE_WORLD_FORMAT}; move it away to start with no machines`,
      );
    return { ...emptyMachineWorld(), ...world };
  }

  private save(): void {
    if (this.file) writeFileAtomically(this.file, JSON.stringify(this.world));
  }
}

function newMachine(name: string, serverId: number | null, address: string, power: 'on' | 'off'): MachineRecord {
  return { name, serverId, power, address, os: null, k3s: null, busy: null };
}
