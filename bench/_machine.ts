import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';

/** The machine a result was measured on, stored beside every figure. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: above the core count, other work shared the machine. */
  loadAverage: number;
}

export const describeMachine = (): Machine => {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
};

export const formatMachine = (machine: Machine): string =>
  `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node.replace(/^v/, '')}, ${machine.os}; load average ${machine.loadAverage} at the start`;
