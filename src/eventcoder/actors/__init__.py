"""Actor knowledge base and resolution."""
