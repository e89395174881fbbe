// CPU time spent by the app server and by PostgreSQL during a phase, from /proc (Linux): with the
// request count it gives CPU per request, which (unlike latency) barely depends on what else the
// machine is doing, and bounds throughput at cores × 1000 / (CPU ms per request).
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  /** The command name (/proc/<pid>/comm's, up to 15 characters). */
  command: string;
  cpuMs: number;
}

/** Every process's CPU time so far (also the calls benchmark's source). */
export function readStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name is in parentheses and may contain spaces; fields follow the last ')'.
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.push({
        pid: Number(name),
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
        command: text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")),
        // utime + stime, plus cutime + cstime: children that exited (backends, workers) still count.
        cpuMs: ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND,
      });
    } catch {
      // The process ended between listing and reading.
    }
  }
  return stats;
}

function postmasterOf(dataDir: string): number | null {
  try {
    return Number(readFileSync(`${dataDir}/postgres/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  appMs: number;
  databaseMs: number;
  benchMs: number;
}

/** CPU so far of the app's process group and of the cluster in `dataDir` (postmaster and children). */
export function cpuSnapshot(options: { appProcessGroup: number | null; dataDir: string }): CpuSnapshot {
  const stats = readStats();
  const postmaster = postmasterOf(options.dataDir);
  let appMs = 0;
  let databaseMs = 0;
  for (const s of stats) {
    if (options.appProcessGroup !== null && s.pgrp === options.appProcessGroup) appMs += s.cpuMs;
    if (postmaster !== null && (s.pid === postmaster || s.ppid === postmaster)) databaseMs += s.cpuMs;
  }
  const own = process.cpuUsage();
  return { appMs, databaseMs, benchMs: (own.user + own.system) / 1000 };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return { appMs: after.appMs - before.appMs, databaseMs: after.databaseMs - before.databaseMs, benchMs: after.benchMs - before.benchMs };
}
