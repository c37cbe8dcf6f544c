#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes src/x86/cpu_models.c, kvmrun's table of QEMU's named x86 CPU models.

The definitions come from the installed reference QEMU itself, asked over QMP
with query-cpu-model-expansion (type "full") for every model that
`qemu-system-x86_64 -cpu help` lists, except host, max and base.

Expansion does not filter by what the accelerator supports (Skylake-Server
keeps avx512f under TCG), but each accelerator applies its own defaults on
top of the model when the CPU object is created: TCG turns vme off, KVM turns
x2apic and its paravirtual features on, svm, acpi and monitor off, and gives
every model the host's vendor string.  This
QEMU has no qtest accelerator, so the model's own definition is recovered by
expanding under both TCG and KVM: where the two agree, that is the model's
value; where they differ, the property must be one the other accelerator
overrides, and the value is taken from the accelerator that leaves it alone.
Any other difference stops the script.

Every property is classified: a CPUID feature bit under its canonical QEMU
name (the names `-cpu help` prints as "Recognized CPUID flags", i.e. QEMU's
feature_word_info feat_names), a legacy alias of one, a feature bit of an MSR
feature word (arch-capabilities bits, vmx-*: not CPUID, left out), a property
that is not a feature bit, or one of the identity fields.  An unknown
property stops the script, so nothing is dropped silently.

Usage: scripts/gen-cpu-models.py [-o src/x86/cpu_models.c] [--qemu BINARY]
Needs /dev/kvm (see above).
"""

import argparse
import json
import os
import subprocess
import sys

QEMU = "qemu-system-x86_64"

# Models that are not fixed definitions.
SKIP_MODELS = {"host", "max", "base"}

# Legacy spellings QEMU registers as aliases of a canonical feature property.
ALIASES = {
    "sse3": "pni",
    "pclmuldq": "pclmulqdq",
    "sse4-1": "sse4.1",
    "sse4_1": "sse4.1",
    "sse4-2": "sse4.2",
    "sse4_2": "sse4.2",
    "xd": "nx",
    "ffxsr": "fxsr-opt",
    "fxsr_opt": "fxsr-opt",
    "i64": "lm",
    "ds_cpl": "ds-cpl",
    "tsc_adjust": "tsc-adjust",
    "lahf_lm": "lahf-lm",
    "cmp_legacy": "cmp-legacy",
    "nodeid_msr": "nodeid-msr",
    "perfctr_core": "perfctr-core",
    "perfctr_nb": "perfctr-nb",
    "kvm_nopiodelay": "kvm-nopiodelay",
    "kvm_mmu": "kvm-mmu",
    "kvm_asyncpf": "kvm-asyncpf",
    "kvm_asyncpf_int": "kvm-asyncpf-int",
    "kvm_steal_time": "kvm-steal-time",
    "kvm_pv_eoi": "kvm-pv-eoi",
    "kvm_pv_unhalt": "kvm-pv-unhalt",
    "kvm_poll_control": "kvm-poll-control",
    "svm_lock": "svm-lock",
    "nrip_save": "nrip-save",
    "tsc_scale": "tsc-scale",
    "vmcb_clean": "vmcb-clean",
    "pause_filter": "pause-filter",
}

# Feature bits of QEMU's MSR feature words (IA32_ARCH_CAPABILITIES,
# IA32_CORE_CAPABILITY, IA32_PERF_CAPABILITIES, the VMX capability MSRs):
# real feature names, but not CPUID bits, so they have no place in the table.
MSR_FEATURES = {
    "rdctl-no", "ibrs-all", "rsba", "skip-l1dfl-vmentry", "ssb-no", "mds-no",
    "pschange-mc-no", "tsx-ctrl", "taa-no",
    "split-lock-detect",
    "full-width-write",
}
MSR_FEATURE_PREFIX = "vmx-"

# CPU object properties that are not CPUID feature bits.
NOT_FEATURES = {
    # accelerator, enforcement and compatibility knobs
    "check", "enforce", "kvm", "pmu", "migratable", "realized",
    "start-powered-off", "tcg-cpuid", "vmware-cpuid-freq", "l3-cache",
    "legacy-cache", "full-cpuid-auto-level", "cpuid-0xb", "fill-mtrr-mask",
    "host-phys-bits", "host-phys-bits-limit", "phys-bits", "lmce",
    "kvm-no-smi-migration", "kvm-pv-enforce-cpuid", "tsc-frequency",
    "ucode-rev", "lbr-fmt", "lbr_fmt", "memory",
    # topology and identity of one vCPU
    "apic-id", "node-id", "socket-id", "die-id", "core-id", "thread-id",
    # floors and limits the full expansion already folded into level/xlevel
    "min-level", "min-xlevel", "min-xlevel2", "xlevel2", "level-func7",
    # Hyper-V enlightenments
    "hv-spinlocks", "hv-vendor-id", "hv-no-nonarch-coresharing",
}
NOT_FEATURE_PREFIXES = ("hv-", "x-")

IDENTITY = ("vendor", "family", "model", "stepping", "level", "xlevel",
            "model-id")

# What each accelerator sets on a named model when the object is created
# (QEMU's tcg_default_props; kvm_default_props, the host's vendor string,
# and the KVM paravirtual leaf, which expansion clears unless KVM is in use).
# Only these may differ between the two expansions.
TCG_OVERRIDES = {"vme"}
KVM_OVERRIDES = {
    "kvmclock", "kvm-nopiodelay", "kvm-asyncpf", "kvm-steal-time",
    "kvm-pv-eoi", "kvmclock-stable-bit", "x2apic", "acpi", "monitor", "svm",
    "kvm-msi-ext-dest-id", "vendor",
}
# ...and what follows from KVM's svm=off: the SVM feature word (CPUID
# 0x8000000A EDX) depends on svm, and svm raises the extended level to
# 0x8000000A.
KVM_CONSEQUENCES = {
    "npt", "lbrv", "svm-lock", "nrip-save", "tsc-scale", "vmcb-clean",
    "flushbyasid", "decodeassists", "pause-filter", "pfthreshold", "avic",
    "v-vmsave-vmload", "vgif", "svme-addr-chk", "xlevel", "min-xlevel",
}

# QEMU's vendor strings a model may use.
VENDORS = {"GenuineIntel", "AuthenticAMD", "CentaurHauls", "HygonGenuine"}


def die(msg):
    sys.exit("gen-cpu-models: " + msg)


def cpu_help(qemu):
    out = subprocess.run([qemu, "-cpu", "help"], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    head, sep, flags = out.partition("Recognized CPUID flags:")
    if not sep:
        die("no \"Recognized CPUID flags\" in `%s -cpu help`" % qemu)
    models, aliases = [], {}
    for line in head.splitlines():
        words = line.split()
        if len(words) < 2 or words[0] != "x86" or words[1] in SKIP_MODELS:
            continue
        models.append(words[1])
        desc = " ".join(words[2:])
        if desc == "(alias configured by machine type)":
            aliases[words[1]] = words[1] + "-v1"
        elif desc.startswith("(alias of ") and desc.endswith(")"):
            aliases[words[1]] = desc[len("(alias of "):-1]
    return models, aliases, set(flags.split())


def check_aliases(defs, aliases):
    """An alias must expand to exactly what it names; an unversioned name
    stands for -v1 with no machine, as with QEMU's current machine types."""
    for alias, target in aliases.items():
        if target not in defs:
            die("%s is an alias of %s, which -cpu help does not list"
                % (alias, target))
        if defs[alias] != defs[target]:
            die("%s does not expand to the same definition as %s"
                % (alias, target))


class Qmp:
    """A QEMU with no machine, spoken to over QMP on stdio."""

    def __init__(self, qemu, accel):
        self.proc = subprocess.Popen(
            ["timeout", "300", qemu, "-machine", "none", "-accel", accel,
             "-nodefaults", "-display", "none", "-qmp", "stdio"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.accel = accel
        self._reply()           # greeting
        self.cmd("qmp_capabilities")

    def _reply(self):
        while True:
            line = self.proc.stdout.readline()
            if not line:
                die("QEMU (-accel %s) exited; is the accelerator usable?"
                    % self.accel)
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def cmd(self, name, args=None):
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        msg = self._reply()
        if "error" in msg:
            die("%s (-accel %s): %s" % (name, self.accel, msg["error"]))
        return msg.get("return")

    def expand(self, model):
        ret = self.cmd("query-cpu-model-expansion",
                       {"type": "full", "model": {"name": model}})
        return ret["model"]["props"]

    def close(self):
        self.cmd("quit")
        self.proc.wait(timeout=30)


def classify(prop, canonical):
    if prop in IDENTITY:
        return "identity"
    if prop in MSR_FEATURES or prop.startswith(MSR_FEATURE_PREFIX):
        return "msr"
    if prop in canonical:
        return "cpuid"
    if prop in ALIASES:
        return "alias"
    if prop in NOT_FEATURES or prop.startswith(NOT_FEATURE_PREFIXES):
        return "other"
    return None


def merge(name, tcg, kvm):
    """The model's own values: TCG's, except what TCG itself overrides."""
    if set(tcg) != set(kvm):
        die("%s: TCG and KVM expansions have different properties: %s"
            % (name, sorted(set(tcg) ^ set(kvm))))
    props = dict(tcg)
    for prop in tcg:
        if tcg[prop] == kvm[prop]:
            continue
        canon = ALIASES.get(prop, prop)
        if canon in TCG_OVERRIDES:
            props[prop] = kvm[prop]
        elif canon not in KVM_OVERRIDES | KVM_CONSEQUENCES:
            die("%s: %s is %r under TCG but %r under KVM, and neither "
                "accelerator is known to override it"
                % (name, prop, tcg[prop], kvm[prop]))
    return props


def model_def(name, props, canonical):
    features = set()
    msr = set()
    for prop, val in props.items():
        kind = classify(prop, canonical)
        if kind is None:
            die("%s: cannot classify property %r = %r; add it to a list in "
                "this script" % (name, prop, val))
        if kind in ("cpuid", "alias", "msr") and not isinstance(val, bool):
            die("%s: feature property %r is not boolean: %r"
                % (name, prop, val))
        if kind == "alias":
            if props.get(ALIASES[prop]) != val:
                die("%s: alias %s disagrees with %s" % (name, prop,
                                                          ALIASES[prop]))
        elif kind == "cpuid" and val:
            features.add(prop)
        elif kind == "msr" and val:
            msr.add(prop)
    if props.get("xlevel2", 0):
        die("%s: xlevel2 0x%x has no field in struct cpu_model_def"
            % (name, props["xlevel2"]))
    d = {k: props[k] for k in IDENTITY}
    if d["vendor"] not in VENDORS:
        die("%s: unexpected vendor %r" % (name, d["vendor"]))
    if len(d["model-id"]) > 48:
        die("%s: model-id longer than 48 characters" % name)
    d["features"] = sorted(features)
    d["msr"] = sorted(f for f in msr if not f.startswith(MSR_FEATURE_PREFIX))
    d["vmx"] = any(f.startswith(MSR_FEATURE_PREFIX) for f in msr)
    return d


def c_string(s):
    for ch in s:
        if ch in '"\\' or not 0x20 <= ord(ch) < 0x7f:
            die("unexpected character %r in %r" % (ch, s))
    return '"%s"' % s


def wrap_words(words, indent, width):
    """Split words into lines of string literals that fit in width columns
    after indent columns; every literal but the last ends in a space."""
    lines, cur = [], ""
    for w in words:
        cand = w if not cur else cur + " " + w
        # +2 for the quotes, +1 for the trailing space, +1 for a comma
        if cur and indent + len(cand) + 4 > width:
            lines.append(cur + " ")
            cur = w
        else:
            cur = cand
    lines.append(cur)
    return lines


def emit(models, cmdline):
    out = []
    w = out.append
    w("// SPDX-License-Identifier: MIT")
    w("/*")
    w(" * GENERATED FILE, do not edit: QEMU's named x86 CPU models, as the")
    w(" * reference QEMU expands them (query-cpu-model-expansion, type full),")
    w(" * without the defaults TCG or KVM add on top.  Regenerate with:")
    w(" *")
    w(" *   %s" % cmdline)
    w(" *")
    w(" * Unversioned names are the -v1 definitions, as QEMU's current machine")
    w(" * types resolve them.  features holds CPUID feature bits only, by their")
    w(" * canonical QEMU names; bits of MSR feature words are in comments.")
    w(" */")
    w("#include \"x86/cpu_model.h\"")
    w("")
    w("/* clang-format off */")
    w("const struct cpu_model_def cpu_model_defs[] = {")
    feat_prefix = "\t\t.features = "
    for name, d in models:
        w("\t{")
        w("\t\t.name = %s," % c_string(name))
        w("\t\t.vendor = %s," % c_string(d["vendor"]))
        w("\t\t.family = %d, .model = %d, .stepping = %d,"
          % (d["family"], d["model"], d["stepping"]))
        w("\t\t.level = 0x%x, .xlevel = 0x%x," % (d["level"], d["xlevel"]))
        w("\t\t.model_id = %s," % c_string(d["model-id"]))
        if d["msr"] or d["vmx"]:
            note = ["MSR", "feature", "bits:"] + d["msr"]
            if d["vmx"]:
                note.append("vmx-*")
            one = "\t\t/* %s */" % " ".join(note)
            if 16 + len(one) - 2 <= 100:
                w(one)
            else:
                w("\t\t/*")
                for line in wrap_words(note, 16 + 3, 100):
                    w("\t\t * %s" % line.rstrip())
                w("\t\t */")
        lines = wrap_words(d["features"], 16 + len(".features = "), 100)
        for i, line in enumerate(lines):
            lead = feat_prefix if i == 0 else "\t\t\t    "
            end = "," if i == len(lines) - 1 else ""
            w("%s%s%s" % (lead, c_string(line), end))
        w("\t},")
    w("};")
    w("/* clang-format on */")
    w("")
    w("const unsigned int cpu_model_defs_count =")
    w("\tsizeof(cpu_model_defs) / sizeof(cpu_model_defs[0]);")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", default="src/x86/cpu_models.c")
    ap.add_argument("--qemu", default=QEMU)
    args = ap.parse_args()

    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        die("needs read/write access to /dev/kvm: the KVM expansion is how "
            "this script sees what TCG's defaults hide (vme)")
    names, aliases, canonical = cpu_help(args.qemu)
    if names != sorted(names):
        die("`-cpu help` no longer lists models in strcmp order")
    canonical -= MSR_FEATURES
    canonical = {f for f in canonical if not f.startswith(MSR_FEATURE_PREFIX)}
    for alias, canon in ALIASES.items():
        if canon not in canonical:
            die("alias %s names %s, which -cpu help does not list"
                % (alias, canon))

    tcg = Qmp(args.qemu, "tcg")
    kvm = Qmp(args.qemu, "kvm")
    models = []
    for name in names:
        props = merge(name, tcg.expand(name), kvm.expand(name))
        models.append((name, model_def(name, props, canonical)))
    tcg.close()
    kvm.close()
    check_aliases(dict(models), aliases)

    cmdline = "scripts/gen-cpu-models.py -o %s" % args.output
    if args.qemu != QEMU:
        cmdline += " --qemu %s" % args.qemu
    with open(args.output, "w") as f:
        f.write(emit(models, cmdline))
    print("gen-cpu-models: %d models written to %s"
          % (len(models), args.output))


if __name__ == "__main__":
    main()
