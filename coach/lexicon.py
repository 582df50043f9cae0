"""How infrastructure terms are said: text for a voice to read, and a respelling for a learner.

Used by pronunciation hints (respelling) and speech synthesis (say_as); with `TECHNICAL_WORDS`,
by grammar checking as accepted words. A scenario's own `say_as` / `respelling` for a key term
wins over this table.
"""

from __future__ import annotations

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

# Words of the field that an English dictionary does not know, lower case: with the terms of
# SPOKEN_FORMS, the vocabulary a grammar check accepts (see coach/grammar/vocabulary.py).
_TECHNICAL_WORDS = """
    cgroup cgroups cgroupfs cgroupv1 cgroupv2 memcg cpuset cpusets cpuacct blkio pids
    memory.max memory.high memory.low memory.min memory.events memory.stat memory.current
    memory.pressure memory.swap.max memory.oom.group cpu.max cpu.weight cpu.stat cpu.pressure
    io.max io.weight io.stat io.pressure cgroup.procs cgroup.controllers psi
    containerd runc crun cri-o crio shim containerd-shim dockerd moby buildkit podman
    overlay overlayfs overlay2 tmpfs ramfs procfs sysfs debugfs devtmpfs fuse squashfs
    snapshotters devicemapper
    ext4 xfs btrfs zfs lvm raid nvme ssd hdd iops fsync fdatasync o_direct o_sync mmap munmap
    inode inodes dentry dentries pagecache writeback dirty_ratio swappiness vm.swappiness
    overcommit vm.overcommit_memory hugepage hugepages thp numa numactl kswapd kworker
    ksoftirqd softirq softirqs irq irqs slab
    oom oomkiller oom-killer oomkilled oom_score oom_score_adj
    iowait iostat vmstat mpstat pidstat sar dstat htop atop nmon blktrace fio ioping biosnoop
    nsenter unshare setns chroot pivot_root seccomp apparmor selinux ulimit rlimit setuid
    dmesg journalctl journald systemctl systemd syslog rsyslog logrotate
    ebpf bpf bpftrace bcc xdp kprobe kprobes uprobe tracepoint tracepoints perf ftrace strace
    ltrace ptrace gdb pprof flamegraph flamegraphs valgrind tcpdump wireshark netstat ss
    iptables nftables ipvs conntrack ethtool iproute2 ifconfig traceroute mtr dig nslookup
    ndots
    kubernetes kubelet kubectl kubeadm kube-proxy kubeconfig kube k8s k3s etcd etcdctl coredns
    kube-dns apiserver kube-apiserver kube-scheduler daemonset daemonsets statefulset
    statefulsets replicaset replicasets configmap configmaps crd crds hpa vpa karpenter
    autoscaler pvc pvcs pv pvs csi cni cri oci storageclass emptydir hostpath initcontainer
    sidecar crashloopbackoff imagepullbackoff livenessprobe readinessprobe taint taints
    kubelets cadvisor
    helm kustomize argocd flux calico cilium flannel envoy istio linkerd nginx haproxy
    prometheus promql grafana alertmanager loki thanos jaeger opentelemetry otel fluentd
    fluentbit elasticsearch kibana datadog pagerduty opsgenie statsd cloudwatch
    terraform ansible packer vagrant puppet chef
    aws gcp gke eks aks ec2 ebs efs s3 vpc iam rds elb alb nlb gp2 gp3 io1 io2 st1 sc1
    kafka zookeeper redis memcached postgres postgresql mysql innodb wal rocksdb cassandra
    sli slis slo slos sla slas sre sres toil runbook runbooks postmortem postmortems oncall
    on-call p50 p90 p95 p99 p999 mttr mttd rto rpo
    grpc http2 tls mtls dns tcp udp ttl mtu bgp vxlan nat epoll syscall syscalls
    sigkill sigterm sighup sigint pid uid gid tid rss vss pss uss smaps meminfo zram zswap
    jvm gc jemalloc tcmalloc glibc musl ldd elf x86 x86_64 arm64 amd64
    cpu cpus vcpu vcpus gpu gpus ram io dir dirs upperdir lowerdir workdir stdout stderr stdin
    grep awk sed curl wget ssh rsync scp sudo cron crontab chmod chown tar gzip zstd dd
    crictl ctr ttrpc runtimeclass cri-containerd nerdctl skopeo
    func ctx goroutine goroutines mutex mutexes waitgroup rpc rpcs api apis cli sdk json yaml
    backoff idempotency rbps wbps riops wiops
"""
TECHNICAL_WORDS: frozenset[str] = frozenset(_TECHNICAL_WORDS.split())


def say_as(term: str) -> str | None:
    entry = SPOKEN_FORMS.get(term.lower())
    return entry[0] if entry else None


def respelling(term: str) -> str | None:
    entry = SPOKEN_FORMS.get(term.lower())
    return entry[1] if entry else None

# Words with a second pronunciation that dictionaries give as right (Merriam-Webster and
# Cambridge list both), spelt so that espeak-ng says it: a key term said either way is judged
# against both, so the second is never flagged as a wrong sound ("exit" as /ˈɛksɪt/ was).
SECOND_PRONUNCIATIONS: dict[str, str] = {
    "exit": "eksit", "exits": "eksits",
    "route": "root", "routes": "roots", "routing": "rooting", "router": "rooter",
    "data": "datta", "either": "eyether",
}
