"""upsell-cycle: upsell paths that loop, found per channel in time linear in its size."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator, Mapping

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Origin
from monops_lint.rules.registry import RuleContext, rule

# --- upsell-cycle ------------------------------------------------------------------


def _strong_components(graph: Mapping[str, tuple[str, ...]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (upsell chains can be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _shortest_cycle(graph: Mapping[str, tuple[str, ...]], component: set[str],
                    start: str) -> list[str]:
    """A shortest cycle through ``start`` (breadth first; one exists in a strong component)."""
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node]):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if nxt in component and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return [start, start]  # not reached for a component with a cycle


def _cycles(graph: Mapping[str, tuple[str, ...]], component: set[str],
            limit: int) -> tuple[list[list[str]], str]:
    """Up to ``limit`` elementary cycles of one component, each once (the rotation from its
    smallest id), and why the list stops short: "" (it does not), "limit" or "budget".

    The search is bounded by the component's size, so a pathological tangle costs linear
    time; when it runs out with nothing found, a shortest cycle is listed instead.
    """
    inner = sum(1 for n in component for t in graph[n] if t in component)
    if inner == len(component):  # strongly connected with one edge per node: a single ring
        return [_shortest_cycle(graph, component, min(component))], ""
    budget = 100 * (len(component) + inner) + 10_000
    found: list[list[str]] = []
    for start in sorted(component):
        path = [start]
        on_path = {start}
        work = [iter(sorted(graph[start]))]
        while work:
            budget -= 1
            if budget < 0:
                return found or [_shortest_cycle(graph, component, min(component))], "budget"
            nxt = next(work[-1], None)
            if nxt is None:
                work.pop()
                on_path.discard(path.pop())
            elif nxt == start:
                if len(found) == limit:
                    return found, "limit"
                found.append([*path, start])
            elif nxt in component and nxt > start and nxt not in on_path:
                path.append(nxt)
                on_path.add(nxt)
                work.append(iter(sorted(graph[nxt])))
    return found, ""


@rule("upsell-cycle", Severity.ERROR, options={"max_cycles": 20})
def upsell_cycle(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Upsell paths that loop back to where they started.

    ## What it does
    Follows each channel's `upsell` lists from offering to offering (only
    plans that channel offers continue a path) and reports every loop once,
    as the rotation that starts at its smallest plan id, at the first step
    of it: `a -> b -> c -> a`. (A plan that upsells to itself is
    `upsell-target`'s finding, not a loop here.) Option `max_cycles`
    (default 20) caps how many loops are listed per group of plans that
    upsell to each other; past it (or when the group is too tangled to
    search in time linear in its size), one more finding names the group.
    `max_cycles` is a whole number from 1 to 10000; another value is a
    config error.

    ## Why is this bad?
    An upsell is the step up. In a loop, at least one "step up" is a step
    down, and a storefront that follows upsells never reaches the top offer.

    ## Example
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-basic
        upsell: [storage-plus]
      - plan: storage-plus
        upsell: [storage-basic]
    ```

    ## Use instead
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-basic
        upsell: [storage-plus]
      - plan: storage-plus
    ```
    """
    limit = max(int(ctx.options.get("max_cycles", 20)), 1)
    for channel in catalog.channels.values():
        # Where each upsell step is written, as (offering index, list position): a
        # location is looked up only for the steps a finding names.
        steps_at: dict[tuple[str, str], tuple[int, int]] = {}
        upsells: dict[str, tuple[str, ...]] = {}
        for index, offering in enumerate(channel.offerings):
            if offering.plan in upsells:
                continue  # the first offering of a plan is the one a channel sells
            upsells[offering.plan] = offering.upsell
            for position, target in enumerate(offering.upsell):
                steps_at[(offering.plan, target)] = (index, position)

        def edge(step: tuple[str, str], origin: Origin = channel.origin,
                 steps_at: dict[tuple[str, str], tuple[int, int]] = steps_at) -> Location:
            index, position = steps_at[step]
            return origin.at("offerings", index, "upsell", position)

        graph = {plan: tuple(t for t in targets if t in upsells and t != plan)
                 for plan, targets in upsells.items()}
        for component in _strong_components(graph):
            first = min(component)
            if len(component) == 1:
                continue  # no self-loops in the graph: one plan alone is no loop
            cycles, short = _cycles(graph, component, limit)
            for cycle in cycles:
                steps = list(itertools.pairwise(cycle))
                path = " -> ".join(cycle)
                hint = "an upsell is a step up: remove the upsell that leads back down, so " \
                    "the path ends at the dearest plan"
                yield ctx.finding(
                    edge(steps[0]), f"channel {channel.id}: upsell path loops: {path}", hint,
                    key=f"{channel.id}:{path}",
                    related=[(edge(step), f"{step[0]} upsells to {step[1]}")
                             for step in steps[1:]])
            if short:
                names = sorted(component)
                listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more"
                                                  if len(names) > 10 else "")
                why = f"in more loops than the {len(cycles)} listed" if short == "limit" else \
                    f"in a tangle of loops too large to list (the search stopped after " \
                    f"{len(cycles)})"
                yield ctx.finding(
                    edge((first, min(t for t in graph[first] if t in component))),
                    f"channel {channel.id}: plans {listed} upsell to each other {why}",
                    "order these plans from cheapest to dearest and upsell only upwards; "
                    "raise option max_cycles to list more", key=f"{channel.id}:loops:{first}")
