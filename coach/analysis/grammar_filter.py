"""Which grammar issues are worth showing for a SPOKEN answer. Pure functions, no I/O.

LanguageTool checks written English. The text it gets here is a Whisper transcript: capitals,
commas, full stops, quotes and hyphens were chosen by the speech recogniser, not the speaker,
and infrastructure jargon is missing from its dictionary. `filter_spoken_issues` keeps what a
speaker can actually get wrong out loud (agreement: "the container were", "it show", "we
doesn't", "there is many"; tense; articles; wrong or misheard words) and drops:

1. whole categories about writing, not speech (`DROPPED_CATEGORIES`, each with its reason);
2. rules about writing that live in kept categories (`DROPPED_RULES`, each with its reason);
3. issues on a span with no letter or digit (stray spaces and punctuation, whatever the rule);
4. issues whose fix sounds the same as the flagged words, i.e. differs only in case,
   punctuation, apostrophes, hyphens or spaces ("its" vs "it's", "e-mail" vs "email", a
   misspelling "cpu" whose first suggestion is "CPU");
5. misspelling complaints about technical words: the built-in `INFRA_VOCABULARY`, the caller's
   accepted words (a scenario's key terms and aliases), compounds of them ("eBPF-based") and
   identifier-shaped tokens such as "memory.events", "/proc/meminfo" or "kube_pod_info" (see
   `is_accepted_word`).

Spelling complaints about other words are kept: in a transcript they usually mean the
recogniser misheard a word, which is worth seeing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # grammar.py imports this module, so no runtime import back
    from coach.engines.grammar import GrammarIssue

# Category ids of LanguageTool 6.7 (English) whose issues never concern the spoken words.
DROPPED_CATEGORIES: dict[str, str] = {
    "CASING": "capital letters are not spoken; the recogniser chose them",
    "PUNCTUATION": "commas and full stops are the recogniser's guesses at pauses",
    "TYPOGRAPHY": "quotes, dashes, spaces and symbols are not spoken",
    "COMPOUNDING": "'log file' / 'logfile' / 'log-file' sound the same",
    "STYLE": "written-style advice (wordiness, word choice); not errors in a spoken answer",
    "REDUNDANCY": "'end result', 'past history': style, not grammar",
    "PLAIN_ENGLISH": "written-style advice",
    "REPETITIONS_STYLE": "'you used this word often': style, and repetition is normal in speech",
    "TEXT_ANALYSIS": "readability statistics",
    "WIKIPEDIA": "encyclopedia style",
    "CREATIVE_WRITING": "fiction style",
    "TON_ACADEMIC": "academic-writing tone",
    "AMERICAN_ENGLISH_STYLE": "US/UK word preferences are both fine in an interview",
    "BRITISH_ENGLISH": "US/UK word preferences are both fine in an interview",
    "PROPER_NOUNS": "spelling of names: the recogniser's, not the speaker's",
    "MULTITOKEN_SPELLING": "spelling of multi-word names: the recogniser's, not the speaker's",
}

# Rule ids dropped whatever their category (some sit in kept categories such as MISC, and
# naming the writing rules explicitly keeps them out even if LanguageTool re-files them).
DROPPED_RULES: dict[str, str] = {
    "UPPERCASE_SENTENCE_START": "capital at sentence start: not spoken",
    "LC_AFTER_PERIOD": "fires inside dotted names such as memory.events; case is not spoken",
    "I_LOWERCASE": "'i' vs 'I': not spoken",
    "PUNCTUATION_PARAGRAPH_END": "missing final full stop: the recogniser's",
    "EN_SENTENCE_END_PUNCTUATION": "missing final punctuation: the recogniser's",
    "WHITESPACE_RULE": "repeated spaces: not spoken",
    "SENTENCE_WHITESPACE": "missing space between sentences: not spoken",
    "COMMA_PARENTHESIS_WHITESPACE": "space before a comma or bracket: not spoken",
    "DOUBLE_PUNCTUATION": "'..' or ',,': not spoken",
    "UNPAIRED_BRACKETS": "brackets and quotes: not spoken",
    "EN_UNPAIRED_BRACKETS": "brackets and quotes: not spoken",
    "EN_UNPAIRED_QUOTES": "brackets and quotes: not spoken",
    "EN_QUOTES": "straight vs curly quotes: not spoken",
    "DASH_RULE": "hyphen vs dash: not spoken",
    "EN_COMMA_WHITESPACE": "spaces around commas: not spoken",
    "ENGLISH_WORD_REPEAT_RULE": "'the the' is a disfluency of speech, not a grammar error",
    "ENGLISH_WORD_REPEAT_BEGINNING_RULE": "same first word in a row: style",
    "TOO_LONG_SENTENCE": "sentence length is the recogniser's segmentation",
    "EN_PLAIN_ENGLISH_REPLACE": "written-style advice",
}

# Categories and rules that complain about the spelling of a word, rather than its grammar.
_SPELLING_CATEGORIES = frozenset({"TYPOS", "MULTITOKEN_SPELLING", "PROPER_NOUNS", "CASING"})
_SPELLING_RULE = re.compile(r"MORFOLOGIK|HUNSPELL|SPELL", re.IGNORECASE)

# Words an infrastructure / SRE interview uses that an English dictionary does not know.
# Lower case; matched case-insensitively, also with a plural or possessive ending.
_INFRA_WORDS = """
    cgroup cgroups cgroupfs cgroupv1 cgroupv2 memcg cpuset cpusets cpuacct blkio pids
    memory.max memory.high memory.low memory.min memory.events memory.stat memory.current
    memory.pressure memory.swap.max memory.oom.group cpu.max cpu.weight cpu.stat cpu.pressure
    io.max io.weight io.stat io.pressure cgroup.procs cgroup.controllers psi
    containerd runc crun cri-o crio shim containerd-shim dockerd moby buildkit podman
    overlayfs overlay2 tmpfs ramfs procfs sysfs debugfs devtmpfs fuse squashfs
    ext4 xfs btrfs zfs lvm raid nvme ssd hdd iops fsync fdatasync o_direct o_sync mmap munmap
    inode inodes dentry dentries pagecache writeback dirty_ratio swappiness vm.swappiness
    overcommit vm.overcommit_memory hugepage hugepages thp numa kswapd kworker ksoftirqd
    softirq softirqs irq irqs oom oomkiller oom-killer oomkilled oom_score oom_score_adj
    iowait iostat vmstat mpstat pidstat sar dstat htop atop nmon blktrace fio
    nsenter unshare setns chroot pivot_root seccomp apparmor selinux ulimit rlimit setuid
    dmesg journalctl journald systemctl systemd syslog rsyslog logrotate
    ebpf bpf bpftrace bcc xdp kprobe kprobes uprobe tracepoint tracepoints perf ftrace strace
    ltrace ptrace gdb pprof flamegraph flamegraphs valgrind tcpdump wireshark netstat ss
    iptables nftables ipvs conntrack ethtool iproute2 ifconfig traceroute mtr dig nslookup
    kubelet kubectl kubeadm kube-proxy kubeconfig kube k8s k3s etcd etcdctl coredns kube-dns
    apiserver kube-apiserver kube-scheduler daemonset daemonsets statefulset statefulsets
    replicaset replicasets configmap configmaps crd crds hpa vpa karpenter autoscaler
    pvc pvcs pv pvs csi cni cri oci storageclass emptydir hostpath initcontainer sidecar
    crashloopbackoff imagepullbackoff livenessprobe readinessprobe taint taints kubelets
    helm kustomize argocd flux calico cilium flannel envoy istio linkerd nginx haproxy
    prometheus promql grafana alertmanager loki thanos jaeger opentelemetry otel fluentd
    fluentbit elasticsearch kibana datadog pagerduty opsgenie statsd
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
    rbps wbps riops wiops
"""
INFRA_VOCABULARY: frozenset[str] = frozenset(_INFRA_WORDS.split())

_TRIM = "\"'`“”‘’()[]{}<>,;:!?."
_IDENTIFIER = re.compile(r"\w[./_:]+\w|^/\w")  # memory.events, kube_pod_info, /proc/meminfo
_AUDIBLE = re.compile(r"[\W_]+")  # what does not change how a word sounds


def filter_spoken_issues(
    issues: Sequence[GrammarIssue], text: str, accepted_words: Iterable[str] = ()
) -> list[GrammarIssue]:
    """The issues worth showing a speaker, in their original order (see the module doc)."""
    accepted = accepted_vocabulary(accepted_words)
    return [
        issue
        for issue in issues
        if issue.category not in DROPPED_CATEGORIES
        and issue.rule_id not in DROPPED_RULES
        and _has_words(issue.text)
        and not _sounds_the_same(issue)
        and not (is_spelling_issue(issue) and is_accepted_word(issue, text, accepted))
    ]


def drop_accepted_misspellings(
    issues: Sequence[GrammarIssue],
    text: str,
    accepted_words: Iterable[str] = (),
    *,
    builtin: bool = True,
) -> list[GrammarIssue]:
    """`issues` without spelling complaints about accepted words (and, if `builtin`, jargon)."""
    accepted = accepted_vocabulary(accepted_words, builtin=builtin)
    return [
        issue
        for issue in issues
        if not (is_spelling_issue(issue) and is_accepted_word(issue, text, accepted))
    ]


def accepted_vocabulary(
    accepted_words: Iterable[str] = (), *, builtin: bool = True
) -> frozenset[str]:
    """Normalised accepted words.

    A multi-word entry ("OOM killer") is accepted whole, joined ("oomkiller", "oom-killer")
    and word by word, since the recogniser may write it any of those ways.
    """
    words: set[str] = set(INFRA_VOCABULARY) if builtin else set()
    for entry in accepted_words:
        entry = _normalise(entry)
        if not entry:
            continue
        words.add(entry)
        parts = [w for w in map(_normalise, entry.split()) if w]
        if len(parts) > 1:
            words.update(parts)
            words.add("".join(parts))
            words.add("-".join(parts))
    return frozenset(words)


def is_spelling_issue(issue: GrammarIssue) -> bool:
    return issue.category in _SPELLING_CATEGORIES or bool(_SPELLING_RULE.search(issue.rule_id))


def is_accepted_word(issue: GrammarIssue, text: str, accepted: frozenset[str]) -> bool:
    """Whether the flagged words are an accepted term, or a piece of one.

    Matches the flagged words themselves ("cgroup", "OOM killer"), with a plural or possessive
    ending ("cgroups", "PVCs", "kubelet's"), a hyphenated compound with an accepted part
    ("eBPF-based"), and the whole token around them, so "events" flagged inside
    "memory.events" or "io" inside "io.max" count. A token shaped like an identifier (dots,
    slashes, underscores or colons between word characters) is accepted as a whole: it was
    read out as a name, not as English.
    """
    flagged = _normalise(issue.text)
    if _is_known(flagged, accepted):
        return True
    # LanguageTool flags a whole compound for its unknown part: "eBPF-based", "cgroup-aware".
    if "-" in flagged and any(_is_known(part, accepted) for part in flagged.split("-")):
        return True
    token = _token_around(issue, text)
    if not token:
        return False
    return _is_known(_normalise(token), accepted) or bool(_IDENTIFIER.search(token))


def _is_known(word: str, accepted: frozenset[str]) -> bool:
    if not word:
        return False
    if word in accepted:
        return True
    for ending in ("'s", "’s", "es", "s"):
        if word.endswith(ending) and word[: -len(ending)] in accepted:
            return True
    return False


def _token_around(issue: GrammarIssue, text: str) -> str:
    """The whitespace-delimited token(s) containing the issue, outer punctuation trimmed."""
    if text[issue.start : issue.end] != issue.text or issue.start < 0:
        return ""  # offsets are not for this text
    start, end = issue.start, issue.end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(_TRIM)


def _normalise(word: str) -> str:
    return " ".join(word.split()).strip(_TRIM).casefold()


def _has_words(span: str) -> bool:
    return any(c.isalnum() for c in span)


def _sounds_the_same(issue: GrammarIssue) -> bool:
    """Whether the fix changes nothing a listener hears.

    For a grammar issue every suggestion must sound the same. For a misspelling the first one
    is enough: LanguageTool ranks it first when only case or hyphens differ ("cpu" -> "CPU").
    """
    if not issue.replacements:
        return False
    heard = _AUDIBLE.sub("", issue.text).casefold()
    suggestions = issue.replacements[:1] if is_spelling_issue(issue) else issue.replacements
    return all(_AUDIBLE.sub("", r).casefold() == heard for r in suggestions)
