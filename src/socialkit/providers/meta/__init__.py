"""What the Meta providers share: the Graph API base that Facebook Pages, Instagram and
Threads are built on.

- `GraphPlatform`: versioned base URL per host, token and ``appsecret_proof``, usage headers
  as rate-limit state, Graph error mapping, cursor paging, request builders;
- `ContainerPlatform`: publishing through media containers (Instagram, Threads);
- `ContainerFailed`, `ContainerTimeout`: a container that ended in error or never finished.
"""

from .auth import GraphToken, appsecret_proof
from .containers import ContainerAPI, ContainerPlatform
from .errors import ContainerFailed, ContainerTimeout, GraphError, graph_error, parse_error
from .platform import GraphPlatform
from .settings import GRAPH_API_VERSION, GraphSettings

__all__ = [
    "GRAPH_API_VERSION",
    "ContainerAPI",
    "ContainerFailed",
    "ContainerPlatform",
    "ContainerTimeout",
    "GraphError",
    "GraphPlatform",
    "GraphSettings",
    "GraphToken",
    "appsecret_proof",
    "graph_error",
    "parse_error",
]
