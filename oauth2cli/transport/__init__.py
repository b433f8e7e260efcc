"""Everything that touches the network: httpx, the loopback listener, the browser."""
