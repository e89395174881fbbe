// Memory of the app server and of PostgreSQL, and the machine's CPU time, from /proc (Linux). The
// app's figure is the RSS of its process group (npx, tsx and the Node process that serves Next);
// PostgreSQL's is the PSS of the postmaster and its backends, since RSS would count the shared
// buffers once per backend.
import { readdirSync, readFileSync } from "node:fs";

export interface MemorySample {
  appRssMiB: number;
  postgresPssMiB: number;
  postgresProcesses: number;
}

function kib(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}

export function sampleMemory(options: { appProcessGroup: number | null; dataDir: string }): MemorySample {
  let postmaster: number | null = null;
  try {
    postmaster = Number(readFileSync(`${options.dataDir}/postgres/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    // Not running.
  }
  let appKiB = 0;
  let postgresKiB = 0;
  let postgresProcesses = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(name);
      const ppid = Number(fields[1]);
      const pgrp = Number(fields[2]);
      if (options.appProcessGroup !== null && pgrp === options.appProcessGroup) {
        appKiB += kib(readFileSync(`/proc/${name}/status`, "utf8"), "VmRSS");
      } else if (postmaster !== null && (pid === postmaster || ppid === postmaster)) {
        postgresKiB += kib(readFileSync(`/proc/${name}/smaps_rollup`, "utf8"), "Pss");
        postgresProcesses++;
      }
    } catch {
      // The process ended between listing and reading.
    }
  }
  return { appRssMiB: appKiB / 1024, postgresPssMiB: postgresKiB / 1024, postgresProcesses };
}

/** The soft limit on open files of this process (children inherit it). */
export function openFilesLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return !match || match[1] === "unlimited" ? Infinity : Number(match[1]);
}

const TICKS_PER_SECOND = 100;

/** CPU time all processes on the machine have used since boot (user, nice, system, irq, softirq, steal), in ms. */
export function machineCpuMs(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_SECOND;
}
