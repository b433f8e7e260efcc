"""Use cases that join the core, the transport and the store. No click here."""
