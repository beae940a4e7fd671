"""What rendered NetworkPolicies let through, by the rules of networking.k8s.io/v1 (the Kubernetes
documentation's "Network Policies"):

- a pod that no policy selects for a direction (Ingress or Egress) is open in that direction; one that
  some policy selects accepts only what at least one of those policies allows;
- a connection between two pods needs the sender's egress and the receiver's ingress to allow it;
- a peer with a namespaceSelector and a podSelector in one entry must match both; a podSelector alone
  means the policy's own namespace; an ipBlock stands for addresses outside the cluster;
- a named port is the destination pod's container port of that name.

No cluster runs here, so the tests ask this model. It covers what the manifests use and refuses
(raises) what it does not know, rather than guessing.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Every namespace carries its own name as this label (set by the API server).
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: Mapping[str, str]
    namespace_labels: Mapping[str, str] = field(default_factory=dict)
    ports: Mapping[str, int] = field(default_factory=dict)  # container ports by name

    def __post_init__(self) -> None:
        object.__setattr__(self, "namespace_labels", {**self.namespace_labels, NAMESPACE_NAME_LABEL: self.namespace})


@dataclass(frozen=True)
class Address:
    """An address outside the cluster: a managed database, Clerk, a cloud's metadata service."""

    ip: str


Peer = Pod | Address


def selector_matches(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """A label selector (matchLabels and matchExpressions); the empty selector matches everything."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
        if operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            raise ValueError(f"unknown selector operator {operator}")
    return True


def _policy_types(policy: Mapping[str, Any]) -> list[str]:
    spec = policy["spec"]
    if "policyTypes" in spec:
        return list(spec["policyTypes"])
    return ["Ingress", "Egress"] if "egress" in spec else ["Ingress"]


def _selects(policy: Mapping[str, Any], pod: Pod) -> bool:
    in_namespace = policy["metadata"]["namespace"] == pod.namespace
    return in_namespace and selector_matches(policy["spec"]["podSelector"], pod.labels)


def policies_selecting(policies: Iterable[Mapping[str, Any]], pod: Pod, direction: str) -> list[Mapping[str, Any]]:
    """The policies that isolate `pod` in `direction` ("Ingress" or "Egress")."""
    return [p for p in policies if _selects(p, pod) and direction in _policy_types(p)]


def _peer_matches(entry: Mapping[str, Any], peer: Peer, policy_namespace: str) -> bool:
    if "ipBlock" in entry:
        if not isinstance(peer, Address):
            return False
        address = ipaddress.ip_address(peer.ip)
        block = entry["ipBlock"]
        if address not in ipaddress.ip_network(block["cidr"]):
            return False
        return not any(address in ipaddress.ip_network(cidr) for cidr in block.get("except", []))
    if not isinstance(peer, Pod):
        return False
    if "namespaceSelector" in entry:
        in_namespace = selector_matches(entry["namespaceSelector"], peer.namespace_labels)
    else:
        in_namespace = peer.namespace == policy_namespace
    return in_namespace and selector_matches(entry.get("podSelector", {}), peer.labels)


def _port_matches(ports: list[Mapping[str, Any]], destination: Peer, port: int, protocol: str) -> bool:
    if not ports:
        return True
    for rule in ports:
        if rule.get("protocol", "TCP") != protocol:
            continue
        allowed = rule.get("port")
        if allowed is None:
            return True
        if isinstance(allowed, str):
            if isinstance(destination, Pod) and destination.ports.get(allowed) == port:
                return True
        elif allowed <= port <= rule.get("endPort", allowed):
            return True
    return False


def _direction_allows(
    policies: Iterable[Mapping[str, Any]], pod: Pod, direction: str, peer: Peer, port: int, protocol: str
) -> bool:
    """Whether `pod`'s policies for `direction` allow `peer` (the sender for Ingress, the receiver for Egress)."""
    selecting = policies_selecting(policies, pod, direction)
    if not selecting:
        return True
    key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    destination = pod if direction == "Ingress" else peer
    for policy in selecting:
        namespace = policy["metadata"]["namespace"]
        for rule in policy["spec"].get(key, []):
            peers = rule.get(peers_key)
            peer_ok = not peers or any(_peer_matches(entry, peer, namespace) for entry in peers)
            if peer_ok and _port_matches(rule.get("ports", []), destination, port, protocol):
                return True
    return False


def admits(
    policies: Iterable[Mapping[str, Any]], destination: Pod, source: Peer, port: int, protocol: str = "TCP"
) -> bool:
    """Whether `destination`'s ingress lets `source` in on `port`, whatever the sender's own policies say."""
    return _direction_allows(policies, destination, "Ingress", source, port, protocol)


def sends(
    policies: Iterable[Mapping[str, Any]], source: Pod, destination: Peer, port: int, protocol: str = "TCP"
) -> bool:
    """Whether `source`'s egress lets it out to `destination` on `port`, whatever the receiver's policies say."""
    return _direction_allows(policies, source, "Egress", destination, port, protocol)


def connects(
    policies: Iterable[Mapping[str, Any]], source: Peer, destination: Peer, port: int, protocol: str = "TCP"
) -> bool:
    """Whether `source` may open a connection to `destination` on `port`: both ends must allow it."""
    policies = list(policies)
    if isinstance(source, Pod) and not sends(policies, source, destination, port, protocol):
        return False
    return not isinstance(destination, Pod) or admits(policies, destination, source, port, protocol)
