"""`casefile graph`: the entity co-occurrence network as JSON or Graphviz DOT."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from casefile.cli.output import emit, emit_json
from casefile.cli.xref import open_xref
from casefile.config import Config
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _
from casefile.core.xref.model import Graph


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `graph` command."""
    parser = subparsers.add_parser(
        "graph", parents=[parent], help=_("export the entity co-occurrence network"),
        description=_("Export entities (nodes) and the number of cases they share (weighted edges). "
                      "A node with an entity page is keyed by the page's path, any other by its name; "
                      "same-named pages in different folders are different nodes, labelled with their path."),
    )
    parser.add_argument("--format", choices=("json", "dot"), default="json", help=_("output format (default json)"))
    parser.add_argument("--min-weight", type=int, default=1, metavar="N",
                        help=_("keep only pairs sharing at least N cases"))


def graph_json(graph: Graph) -> dict[str, Any]:
    """The network as {nodes: [...], edges: [...]}."""
    return {
        "nodes": [{"id": n.id, "name": n.name, "label": n.label, "type": n.type, "cases": n.cases,
                   "path": n.path} for n in graph.nodes],
        "edges": [{"source": e.source, "target": e.target, "weight": e.weight} for e in graph.edges],
    }


def quote(text: str) -> str:
    """A DOT double-quoted string: one safe line, quotes and backslashes escaped."""
    return '"' + clean_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def graph_dot(graph: Graph) -> Iterator[str]:
    """The network as an undirected Graphviz graph."""
    yield "graph casefile {"
    for node in graph.nodes:
        yield f"  {quote(node.id)} [label={quote(node.label)}, type={quote(node.type)}, cases={node.cases}];"
    for edge in graph.edges:
        yield f"  {quote(edge.source)} -- {quote(edge.target)} [weight={edge.weight}];"
    yield "}"


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the network."""
    with open_xref(config) as store:
        graph = store.graph(max(1, args.min_weight))
    if args.format == "dot":
        emit("\n".join(graph_dot(graph)))
    else:
        emit_json(graph_json(graph))
    return 0
