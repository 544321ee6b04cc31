"""A real single-node Slurm cluster in a scratch folder, for tests.

munged, slurmctld and slurmd run in the foreground as children of the test
process (so their ids are known for certain), on free ports, with every
state, spool, log and socket file inside the folder. stop() ends exactly
those three processes, whatever state the tests left them in.

Needs root (slurmd runs jobs as their user) and the Debian packages
slurm-wlm and munge (scripts/common.sh lists them). The configuration is
_configuration() below; docs/clusters.md describes the job-array and MPI
scripts (scripts/slurm/) that the tests submit to this cluster.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

TOOLS = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "sinfo", "scontrol")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlurmCluster:
    def __init__(self, folder: Path, cpus: int = 2):
        self.folder = Path(folder)
        self.cpus = cpus
        self.conf = self.folder / "slurm.conf"
        self.munge_socket = self.folder / "munge" / "munge.socket"
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "SLURM_CONF": str(self.conf)}

    def command(self, *args: str, timeout: float = 300, check: bool = True,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Runs a Slurm client command (sbatch, sinfo, ...) against this cluster; `env` adds variables
        (sbatch passes the environment on to the job)."""
        result = subprocess.run(list(args), env={**self.env, **(env or {})}, capture_output=True, text=True,
                                timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr}\n{self.logs()}")
        return result

    def start(self, timeout: float = 30) -> None:
        d = self.folder
        for sub in ("spool", "state", "log", "munge"):
            (d / sub).mkdir(mode=0o711, parents=True, exist_ok=True)
            os.chmod(d / sub, 0o711)
        key = d / "munge" / "munge.key"
        subprocess.run(["mungekey", "-c", "-k", str(key)], check=True, capture_output=True)
        self.conf.write_text(self._configuration())

        self._spawn("munged", ["munged", "--foreground", "--force", f"--key-file={key}",
                               f"--socket={self.munge_socket}", f"--pid-file={d}/munge/munged.pid",
                               f"--log-file={d}/munge/munged.log", f"--seed-file={d}/munge/munged.seed"])
        self._wait_for(lambda: self.munge_socket.exists(), timeout, "munged to open its socket")
        self._spawn("slurmctld", ["slurmctld", "-D", "-f", str(self.conf)])
        self._spawn("slurmd", ["slurmd", "-D", "-f", str(self.conf), "-N", "localhost"])

        def idle() -> bool:
            result = self.command("sinfo", "-h", "-o", "%T", timeout=10, check=False)
            return result.returncode == 0 and result.stdout.strip() == "idle"
        self._wait_for(idle, timeout, "the node to be idle")

    def stop(self, timeout: float = 20) -> None:
        """Stops the daemons this object started, and nothing else."""
        if self.processes.get("slurmctld") and self.processes["slurmctld"].poll() is None:
            self.command("scontrol", "shutdown", timeout=10, check=False)
        for name in ("slurmd", "slurmctld", "munged"):
            process = self.processes.pop(name, None)
            if process is None:
                continue
            try:
                process.wait(timeout=timeout if name != "munged" else 1)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def logs(self) -> str:
        parts = []
        for path in sorted(self.folder.glob("log/*.log")) + [self.folder / "munge" / "munged.log"]:
            if path.exists():
                parts.append(f"--- {path.name} (last lines)\n" + "\n".join(path.read_text(errors="replace").splitlines()[-15:]))
        return "\n".join(parts)

    def _spawn(self, name: str, args: list[str]) -> None:
        log = open(self.folder / "log" / f"{name}.stderr", "w")
        self.processes[name] = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL)
        log.close()

    def _wait_for(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode} while waiting for {what}\n"
                                       + (self.folder / "log" / f"{name}.stderr").read_text() + self.logs())
            time.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {what}\n{self.logs()}")

    def _configuration(self) -> str:
        d = self.folder
        return f"""\
ClusterName=fraudsimtest
SlurmctldHost=localhost
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={self.munge_socket}
CredType=cred/munge
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/log/slurmctld.log
SlurmdLogFile={d}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
NodeName=localhost NodeHostname={socket.gethostname()} NodeAddr=127.0.0.1 CPUs={self.cpus} CoresPerSocket={self.cpus} ThreadsPerCore=1 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
"""


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]
