"""How infrastructure terms are said: text for a voice to read, and a respelling for a learner.

Used by pronunciation hints (respelling), speech synthesis (say_as: the app's voice and the
TTS input of the audio fixtures, scripts/make_fixtures.py), and by grammar checking as
accepted words. A scenario's own `say_as` / `respelling` for a key term wins over this table.
"""

from __future__ import annotations

import re

# term (lowercase) -> (say_as for a TTS voice, respelling for a person)
SPOKEN_FORMS: dict[str, tuple[str, str]] = {
    "dmesg": ("D mesg", "dee-mesg (DEE-mesg)"),
    "oomkiller": ("O O M killer", "OOM-killer (oom KILL-er)"),
    "oom": ("O O M", "OOM (rhymes with room), or O-O-M"),
    "io.max": ("I O dot max", "I-O dot max"),
    "io.pressure": ("I O dot pressure", "I-O dot pressure"),
    "memory.max": ("memory dot max", "memory dot max"),
    "memory.events": ("memory dot events", "memory dot events"),
    "cpu.stat": ("C P U dot stat", "C-P-U dot stat"),
    "nsenter": ("N S enter", "N-S-enter (en-ess-EN-ter)"),
    "fsync": ("F sync", "eff-sync"),
    "iostat": ("I O stat", "I-O-stat (eye-oh-stat)"),
    "iowait": ("I O wait", "I-O wait (eye-oh wait)"),
    "tmpfs": ("temp F S", "temp-F-S"),
    "cgroup": ("C group", "see-group"),
    "cgroups": ("C groups", "see-groups"),
    "cgroup v2": ("C group v two", "see-group vee-two"),
    "overlayfs": ("overlay F S", "overlay-F-S"),
    "containerd": ("container D", "container-dee"),
    "runc": ("run C", "run-see"),
    "ebpf": ("E B P F", "ee-bee-pee-eff"),
    "umount": ("you mount", "you-mount"),
    "fuser": ("F user", "eff-user"),
    "lsof": ("L S O F", "el-ess-oh-eff"),
    "kubectl": ("cube control", "cube-control (or cube-C-T-L)"),
    "kubelet": ("cube let", "CUBE-let"),
    "etcd": ("et C D", "et-see-dee"),
    "sysctl": ("sys control", "sys-control"),
    "nginx": ("engine X", "engine-ex"),
    "perf": ("perf", "purf (rhymes with surf)"),
    "strace": ("S trace", "ess-trace"),
    "ebs": ("E B S", "ee-bee-ess"),
    "gp3": ("G P three", "gee-pee-three"),
    "io2": ("I O two", "eye-oh-two"),
    "pvc": ("P V C", "pee-vee-see"),
    "iops": ("I ops", "EYE-ops"),
    "p95": ("P ninety five", "pee-ninety-five"),
    "p99": ("P ninety nine", "pee-ninety-nine"),
    "ec2": ("E C two", "ee-see-two"),
    "sre": ("S R E", "ess-are-ee"),
    "rca": ("R C A", "are-see-ay"),
    "idempotent": ("eye dem potent", "eye-dem-POH-tent"),
    "jitter": ("jitter", "JIT-er"),
    "exit code 137": ("exit code one three seven", "exit code one-three-seven"),
    "snapshotter": ("snapshotter", "SNAP-shot-er"),
    "goroutine": ("go routine", "go-roo-TEEN"),
    "sync.once": ("sync dot once", "sink dot once"),
    "ctx": ("context", "context (say the word)"),
    "psi": ("P S I", "pee-ess-eye"),
    "numa": ("new ma", "NOO-muh"),
    "cache": ("cash", "cash (not 'catch')"),
    "queue": ("Q", "kyoo"),
    "latency": ("latency", "LAY-ten-see"),
    "throughput": ("throughput", "THROO-put"),
    "i/o": ("I O", "eye-oh"),
    "api": ("A P I", "ay-pee-eye"),
    "pid": ("P I D", "pee-eye-dee"),
}

# Words that a spell-checker would flag but that are right in this field.
TECHNICAL_WORDS = frozenset(
    w for term in SPOKEN_FORMS for w in re.split(r"[\s]+", term)
) | {"k8s", "eks", "aws", "cloudwatch", "prometheus", "grafana", "containerd-shim", "shim",
     "overlay", "upperdir", "lowerdir", "workdir", "nvme", "xfs", "ext4", "blktrace", "fio",
     "ioping", "biosnoop", "bpftrace", "cadvisor", "pprof", "goroutines", "mutex", "backoff",
     "idempotency", "oomkilled", "kubernetes", "snapshotters", "devicemapper", "zfs", "btrfs",
     "tcpdump", "conntrack", "ndots", "coredns", "iptables", "ipvs", "htop", "pidstat",
     "vmstat", "sar", "numactl", "hugepages", "rss", "pss", "slab", "dentry", "inode", "inodes"}


def say_as(term: str) -> str | None:
    entry = SPOKEN_FORMS.get(term.lower())
    return entry[0] if entry else None


def respelling(term: str) -> str | None:
    entry = SPOKEN_FORMS.get(term.lower())
    return entry[1] if entry else None
