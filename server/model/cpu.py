"""What the CPU offers for int8 and fp32 inference, for logs and benchmarks.

Speed (and, for int8 graphs with dynamic activation quantisation, decisions)
depends on these instruction sets, so every speed figure says which were present.
"""
from __future__ import annotations

import platform
from pathlib import Path

# cpuinfo flag -> what it means for onnxruntime's CPU kernels
INT8_FEATURES = {
    "avx2": "AVX2",
    "fma": "FMA",
    "avx512f": "AVX-512",
    "avx512_vnni": "AVX-512 VNNI",
    "avx_vnni": "AVX-VNNI",
    "amx_int8": "AMX-INT8",
}


def cpu_features(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """e.g. "AMD EPYC (x86_64): AVX2, FMA, AVX-512, AVX-512 VNNI"; on systems
    without /proc/cpuinfo, the processor name alone."""
    name, flags = platform.processor() or platform.machine(), set()
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and not flags:
                name = value.strip()
            if key.strip() in ("flags", "Features"):
                flags = set(value.split())
                break
    except OSError:
        return name
    present = [label for flag, label in INT8_FEATURES.items() if flag in flags]
    return f"{name} ({platform.machine()}): {', '.join(present) or 'none of ' + ', '.join(INT8_FEATURES.values())}"
