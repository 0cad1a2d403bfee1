"""Where each actor sits: a force-directed layout computed once, in Python, that scales to tens of thousands of nodes.

The page opens settled (no physics in the browser), and the GEXF export carries the same
positions. Fruchterman-Reingold forces within each connected component: edges pull their
ends together, every node pushes every other away, a weak gravity keeps the component round;
the components are then packed in rows. The push of all on all costs
n² a step; past ``EXACT_LIMIT`` nodes it is approximated on a grid (particle-mesh: the
density of nodes convolved with the force's kernel by FFT, plus a push from the centroid
of a node's own cell), so a step costs about n + m + G² log G. numpy only; the same input
gives the same positions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

import numpy as np

# Up to this many nodes the repulsion is computed exactly (n² pairs a step).
EXACT_LIMIT = 200
# Vis-network units per ideal edge length: node sizes are 9-34 units.
UNIT = 110.0
ITERATIONS = 150
GRAVITY = 0.02


def layout(nodes: Sequence[str], pairs: Iterable[tuple[str, str]], *, iterations: int = ITERATIONS,
           seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions (x, y in vis-network units, centred on 0) of ``nodes`` linked by the undirected ``pairs``.

    Each connected component is laid out on its own, then the components are packed in rows,
    largest first: lone actors and small groups line up beside the main network instead of
    drifting around it and shrinking it at overview zoom. Pairs naming a node not in
    ``nodes``, loops and repeats are ignored.
    """
    index = {node: i for i, node in enumerate(nodes)}
    n = len(index)
    if n == 0:
        return {}
    edges = np.array(sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in pairs
                             if a in index and b in index and a != b}), dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    adjacent: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges.tolist():
        adjacent[a].append(b)
        adjacent[b].append(a)
    components = _components(adjacent)
    member = np.empty(n, dtype=np.int64)  # node -> its place in its component
    component_of = np.empty(n, dtype=np.int64)
    for number, component in enumerate(components):
        member[component] = np.arange(len(component))
        component_of[component] = number
    # The edges of each component, found by one sort rather than one pass per component.
    by_component = np.argsort(component_of[edges[:, 0]], kind="stable")
    bounds = np.searchsorted(component_of[edges[by_component, 0]], np.arange(len(components) + 1))
    shapes = []
    for number, component in enumerate(components):
        local = member[edges[by_component[bounds[number]:bounds[number + 1]]]]
        start = _initial(component, adjacent, member, rng)
        if len(component) > 1:  # a small group settles in fewer steps
            start = _relax(start, local, min(iterations, 10 * len(component)))
        shapes.append(start)
    positions = np.zeros((n, 2))
    for component, placed in zip(components, _pack(shapes), strict=True):
        positions[component] = placed
    positions -= positions.mean(axis=0)
    return {node: (round(float(x) * UNIT, 1), round(float(y) * UNIT, 1))
            for node, (x, y) in zip(index, positions, strict=True)}


def _components(adjacent: list[list[int]]) -> list[np.ndarray]:
    """The connected components, largest first (then by first node), each in breadth-first order from its
    best-linked node."""
    n = len(adjacent)
    degree = np.array([len(a) for a in adjacent])
    seen = np.zeros(n, dtype=bool)
    found = []
    for root in np.argsort(-degree, kind="stable").tolist():
        if seen[root]:
            continue
        seen[root] = True
        order, queue = [root], deque([root])
        while queue:
            for child in adjacent[queue.popleft()]:
                if not seen[child]:
                    seen[child] = True
                    order.append(child)
                    queue.append(child)
        found.append(np.array(order, dtype=np.int64))
    return sorted(found, key=lambda c: (-len(c), int(c.min())))


def _initial(component: np.ndarray, adjacent: list[list[int]], member: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    """A start for one component, in breadth-first order: a node one edge length from the node that found it."""
    positions = np.zeros((len(component), 2))
    angles = rng.uniform(0, 2 * np.pi, len(component))
    placed = np.zeros(len(component), dtype=bool)
    placed[0] = True
    for node in component.tolist():
        here = member[node]
        for child in adjacent[node]:
            there = member[child]
            if not placed[there]:
                placed[there] = True
                positions[there] = positions[here] + (np.cos(angles[there]), np.sin(angles[there]))
    return positions


def _pack(shapes: list[np.ndarray], gap: float = 1.0) -> list[np.ndarray]:
    """The components moved into rows (shelves), largest first, in a band about as wide as their total area."""
    boxes = [(shape.min(axis=0), np.ptp(shape, axis=0) + gap) for shape in shapes]
    area = sum(float(size[0] * size[1]) for _, size in boxes)
    width = max(float(boxes[0][1][0]), 1.6 * np.sqrt(area))
    x = y = row = 0.0
    placed = []
    for shape, (low, size) in zip(shapes, boxes, strict=True):
        if x > 0 and x + size[0] > width:
            x, y, row = 0.0, y + row, 0.0
        placed.append(shape - low + (x, y))
        x, row = x + float(size[0]), max(row, float(size[1]))
    return placed


def _relax(positions: np.ndarray, edges: np.ndarray, iterations: int) -> np.ndarray:
    n = len(positions)
    span = float(np.ptp(positions, axis=0).max()) or 1.0
    temperature = max(span / 10, 1.0)
    cooling = temperature / (iterations + 1)
    grid = None if n <= EXACT_LIMIT else _Grid(int(min(128, max(32, 2 ** np.ceil(np.log2(np.sqrt(n)))))))
    for _ in range(iterations):
        force = grid.repulsion(positions) if grid else _exact_repulsion(positions)
        if len(edges):
            delta = positions[edges[:, 1]] - positions[edges[:, 0]]
            pull = delta * np.linalg.norm(delta, axis=1, keepdims=True)  # d² / k, k = 1
            for axis in (0, 1):
                source, target = np.bincount(edges[:, 0], pull[:, axis], n), np.bincount(edges[:, 1], pull[:, axis], n)
                force[:, axis] += source - target
        force -= GRAVITY * np.sqrt(n) * (positions - positions.mean(axis=0))
        length = np.linalg.norm(force, axis=1, keepdims=True)
        positions = positions + force / np.maximum(length, 1e-9) * np.minimum(length, temperature)
        temperature -= cooling
    return positions


def _exact_repulsion(positions: np.ndarray) -> np.ndarray:
    delta = positions[:, None, :] - positions[None, :, :]
    distance2 = np.maximum((delta ** 2).sum(axis=2), 1e-4)
    np.fill_diagonal(distance2, np.inf)
    force: np.ndarray = (delta / distance2[:, :, None]).sum(axis=1)  # k² / d along the direction, k = 1
    return force


class _Grid:
    """Repulsion on a G x G grid: the far field by FFT convolution, the near field from each cell's centroid."""

    def __init__(self, size: int) -> None:
        self.size = size
        offsets = np.fft.ifftshift(np.arange(-size, size))  # index i of the padded grid holds offset i (mod 2G)
        dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
        distance2 = (dx ** 2 + dy ** 2).astype(float)
        distance2[0, 0] = np.inf  # a cell does not push itself: the near field does that
        self.kernels = (np.fft.rfft2(dx / distance2), np.fft.rfft2(dy / distance2))

    def repulsion(self, positions: np.ndarray) -> np.ndarray:
        size, n = self.size, len(positions)
        low = positions.min(axis=0)
        cell = max(float(np.ptp(positions, axis=0).max()) / (size - 1e-6), 1e-6)
        ij = np.minimum(((positions - low) / cell).astype(np.int64), size - 1)
        flat = ij[:, 0] * size + ij[:, 1]
        count = np.bincount(flat, minlength=size * size)
        density = np.fft.rfft2(count.reshape(size, size).astype(float), s=(2 * size, 2 * size))
        force = np.empty((n, 2))
        for axis, kernel in enumerate(self.kernels):
            field = np.fft.irfft2(density * kernel, s=(2 * size, 2 * size))[:size, :size] / cell
            force[:, axis] = field[ij[:, 0], ij[:, 1]]
        # Near field: the other nodes of a node's cell, as if all at their centroid.
        centroid = np.stack([np.bincount(flat, positions[:, a], size * size) for a in (0, 1)], axis=1)
        centroid = centroid[flat] / count[flat, None]
        away = positions - centroid
        distance2 = np.maximum((away ** 2).sum(axis=1, keepdims=True), 1e-4)
        force += away / distance2 * (count[flat, None] - 1)
        return force
