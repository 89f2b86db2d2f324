# Helpers shared by the CPython bench twins: the same seeded PRNG, JSON line and run counts as
# samples/bench/util.ts, so the three implementations of a workload see identical inputs.
import json
import sys

# --warm: a warm-up run, then WARM_RUNS measured runs in this process, the best reported; without
# it exactly one measured run and no warm-up, as a user's script runs (util.ts: WARM, RUNS).
WARM = "--warm" in sys.argv
WARM_RUNS = 5
RUNS = WARM_RUNS if WARM else 1

def lcg(seed):
    """A 32-bit LCG returning floats in [0, 1): the same sequence as util.ts lcg()."""
    s = seed & 0xFFFFFFFF

    def rnd():
        nonlocal s
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        return s / 4294967296

    return rnd


def emit(result):
    """Prints the program's single JSON result line."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
