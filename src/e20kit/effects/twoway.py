"""Two-way fixed effects (department and week) as a residual maker, shared by both intervals
of the rollout estimate."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def residualiser(unit: np.ndarray, time: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """What is left of columns after department and week effects: double demeaning on a
    balanced panel (every department in every week once), else the projection."""
    units, ui = np.unique(unit, return_inverse=True)
    times, ti = np.unique(time, return_inverse=True)
    if len(unit) == len(units) * len(times) and len(set(zip(ui, ti, strict=True))) == len(unit):
        order = np.lexsort((ti, ui))
        shape = (len(units), len(times))

        def balanced(x: np.ndarray) -> np.ndarray:
            cube = x[order].reshape(shape + x.shape[1:])
            out = (
                cube
                - cube.mean(axis=1, keepdims=True)
                - cube.mean(axis=0, keepdims=True)
                + cube.mean(axis=(0, 1), keepdims=True)
            )
            result = np.empty_like(x)
            result[order] = out.reshape(x.shape)
            return result

        return balanced
    fixed = np.column_stack([_dummies(unit), _dummies(time)])
    projection = np.eye(len(unit)) - fixed @ np.linalg.pinv(fixed)
    return lambda x: projection @ x


def _dummies(labels: np.ndarray) -> np.ndarray:
    _, index = np.unique(labels, return_inverse=True)
    out = np.zeros((len(labels), int(index.max()) + 1))
    out[np.arange(len(labels)), index] = 1.0
    return out


__all__ = ["residualiser"]
