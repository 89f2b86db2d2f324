# Helpers shared by the CPython bench twins: the same seeded PRNG and JSON line as
# samples/bench/util.ts, so the three implementations of a workload see identical inputs.
import json
import sys

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
