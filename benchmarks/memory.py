"""Peak memory of the current process, for benchmark figures."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's own peak RSS in MiB.

    Linux keeps ``ru_maxrss`` across ``execve`` from the forking parent (a subprocess started
    from a big parent reports the parent's size), so read ``VmHWM`` of this process's own memory
    map where there is one.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
